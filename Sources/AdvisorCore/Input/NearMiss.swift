/// Reading a refused value as numbers and words, for suggesting the spelling it most likely means.
enum NearMiss {
    struct Token { var number: String; var word: String }

    /// `"1 hour 30 mins"` → (1, hour), (30, mins); spaces between a number and its word do not matter.
    /// A word without a number before it, or a number without a word after it, ends the reading.
    static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var number = ""
        var word = ""
        for character in text where character != " " {
            if character.isASCII && (character.isNumber || character == ".") {
                if !word.isEmpty {
                    guard !number.isEmpty else { return [] }
                    tokens.append(Token(number: number, word: word))
                    number = ""; word = ""
                }
                number.append(character)
            } else if character.isLetter {
                word.append(character)
            } else {
                return []
            }
        }
        guard !number.isEmpty, !word.isEmpty else { return [] }
        tokens.append(Token(number: number, word: word))
        return tokens
    }
}
