/// Human output carries words others chose: the names and command lines of
/// other users' processes, the reasons and errors a remote agent sends. A
/// terminal obeys control characters in them (ESC[8m hides what follows, a
/// carriage return writes over a line), which could hide a "left behind"
/// line from root or forge one, so human output shows each as \xNN instead;
/// newlines and tabs stay. A field another user chose (a process's name or
/// command line) is also shown with its own newlines and tabs escaped
/// (`field`), so it cannot forge a line of its own. JSON output escapes
/// them already.
enum TerminalText {
    static func printable(_ text: String) -> String {
        escaped(text, keepingLines: true)
    }

    /// One field of a line, from someone else: every control character
    /// shown, newlines and tabs included.
    static func field(_ text: String) -> String {
        escaped(text, keepingLines: false)
    }

    private static func escaped(_ text: String, keepingLines: Bool) -> String {
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A where keepingLines:
                shown.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F:
                let hex = String(scalar.value, radix: 16)
                shown.append(contentsOf: ("\\x" + (hex.count < 2 ? "0" : "") + hex).unicodeScalars)
            default:
                shown.append(scalar)
            }
        }
        return String(shown)
    }

    /// `print` for human output on stdout, shown as `printable` says.
    static func print(_ text: String, terminator: String = "\n") {
        Swift.print(printable(text), terminator: terminator)
    }
}
