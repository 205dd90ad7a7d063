/// How a scalar was written. It matters because only plain scalars resolve to null, booleans and numbers:
/// `"true"` is text, `true` is a boolean.
public enum ScalarStyle: Equatable, Hashable, Sendable {
    /// Unquoted, such as `hello` or `arn:aws:s3:::bucket/*`.
    case plain
    /// `'…'`, where `''` stands for one quote.
    case singleQuoted
    /// `"…"`, with backslash escapes.
    case doubleQuoted
    /// A `|` block, which keeps line breaks.
    case literal
    /// A `>` block, which folds line breaks into spaces.
    case folded
}
