/// Parses and formats the value of one input according to its kind.
public enum InputValue {
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    /// The typed value of `text` for `input`: seconds, per-second rate, tasks per month, a number or a choice.
    public static func parse(_ text: String, for input: InputRule) throws(ParseError) -> Value {
        switch input.kind {
        case .duration:
            do {
                let seconds = try Duration.parse(text).seconds
                guard seconds > 0 else { throw ParseError(message: "--\(input.flag) must be longer than 0s") }
                return .number(seconds)
            } catch let error as Duration.ParseError {
                throw ParseError(message: "--\(input.flag): \(error.message)")
            } catch let error as ParseError { throw error } catch { throw ParseError(message: "\(error)") }
        case .rate:
            do { return .number(try Rate.parse(text).perSecond) }
            catch { throw ParseError(message: "--\(input.flag): \(error.message)") }
        case .volume:
            do { return .number(try Rate.parseVolume(text)) }
            catch { throw ParseError(message: "--\(input.flag): \(error.message)") }
        case .size:
            do { return .number(try Size.parse(text)) }
            catch { throw ParseError(message: "--\(input.flag): \(error.message)") }
        case .integer:
            var trimmed = text.trimmed
            // Memory is asked in MB, and people write it with its unit: 512MB, 2GB.
            if input.unit == "MB", let bytes = try? Size.parse(trimmed), bytes >= Size.mebibyte {
                guard bytes.truncatingRemainder(dividingBy: Size.mebibyte) == 0 else {
                    throw ParseError(message: "--\(input.flag): '\(text)' is not a whole number of MB\(rangeText(input))")
                }
                trimmed = String(Int64(bytes / Size.mebibyte))
            }
            guard let value = Int(trimmed) else {
                if input.unit == "MB", let meant = Size.nearMiss(trimmed), let bytes = try? Size.parse(meant), bytes >= Size.mebibyte {
                    throw ParseError(message: "--\(input.flag): '\(text)' is not a size in MB as written; did you mean \(meant)?\(rangeText(input))")
                }
                throw ParseError(message: "--\(input.flag): '\(text)' is not a whole number\(rangeText(input))")
            }
            if let minimum = input.minimum, Double(value) < minimum { throw ParseError(message: "--\(input.flag): \(value) is below the minimum\(rangeText(input))") }
            if let maximum = input.maximum, Double(value) > maximum { throw ParseError(message: "--\(input.flag): \(value) is above the maximum\(rangeText(input))") }
            return .number(Double(value))
        case .number:
            let trimmed = text.trimmed
            guard let value = Double(trimmed), value.isFinite, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else {
                throw ParseError(message: "--\(input.flag): '\(text)' is not a number\(rangeText(input))")
            }
            if let minimum = input.minimum, value < minimum { throw ParseError(message: "--\(input.flag): \(text.trimmed) is below the minimum\(rangeText(input))") }
            if let maximum = input.maximum, value > maximum { throw ParseError(message: "--\(input.flag): \(text.trimmed) is above the maximum\(rangeText(input))") }
            return .number(value)
        case .flag:
            switch text.trimmed.lowercased() {
            case "true", "yes", "on": return .bool(true)
            case "false", "no", "off": return .bool(false)
            default: throw ParseError(message: "--\(input.flag) takes no value ('\(text)'); give the flag to switch it on, leave it out to keep it off")
            }
        case .choice:
            // As written, which is how design files and flags almost always give it: text that trimming and
            // lowercasing leave as it is, naming a choice.
            if text.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F }),
               let choices = input.choices, choices.contains(where: { $0.value == text }) { return .string(text) }
            let values = (input.choices ?? []).map(\.value)
            let trimmed = text.trimmed.lowercased()
            guard values.contains(trimmed) else {
                let meant = Suggest.nearest(trimmed, among: values).map { "; did you mean '\($0)'?" } ?? ""
                throw ParseError(message: "--\(input.flag): '\(text)' is not one of \(values.joined(separator: ", "))\(meant)")
            }
            return .string(trimmed)
        }
    }

    private static func rangeText(_ input: InputRule) -> String {
        switch (input.minimum, input.maximum) {
        case let (min?, max?): return " (accepted: \(Value.formatNumber(min))–\(Value.formatNumber(max)))"
        case let (min?, nil): return " (accepted: \(Value.formatNumber(min)) or more)"
        default: return ""
        }
    }

    /// The value written the way a user would type it, so it parses back to the same value.
    public static func format(_ value: Value, for input: InputRule) -> String {
        switch (input.kind, value) {
        case (.duration, .number(let seconds)): return Duration.format(seconds)
        case (.rate, .number(let perSecond)): return Rate.format(perSecond)
        case (.volume, .number(let perMonth)): return Rate.formatVolume(perMonth)
        case (.size, .number(let bytes)): return Size.format(bytes)
        case (.integer, .number(let n)): return Value.formatNumber(n).replacing(",", with: "")
        case (.number, .number(let n)): return Value.formatNumber(n).replacing(",", with: "")
        case (.flag, .bool(let on)): return on ? "yes" : "no"
        default: return value.description
        }
    }
}
