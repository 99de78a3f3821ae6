/// Writes SVG 1.1 as text: elements with escaped attributes and text, and
/// coordinates to a tenth of a pixel. Charts need no more than this, and
/// a report drawn on a host must need no external tool or library.
struct SVGWriter {
    private(set) var text = ""

    /// `<name a="v" …/>`, or with `content` (escaped) between tags.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, content: String? = nil) {
        start(name, attributes)
        if let content {
            text += ">" + Self.escape(content) + "</\(name)>\n"
        } else {
            text += "/>\n"
        }
    }

    /// `<name …>`, to be closed with `close(name)`, for groups.
    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        start(name, attributes)
        text += ">\n"
    }

    private mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        text += "<" + name
        for (key, value) in attributes {
            text += " \(key)=\"\(Self.escape(value))\""
        }
    }

    mutating func close(_ name: String) {
        text += "</\(name)>\n"
    }

    /// A coordinate or length as written in an attribute.
    static func number(_ value: Double) -> String {
        value.fixed(1)
    }

    /// Text safe in an attribute or between tags: a process name or a
    /// condition's URL is the user's, and may hold `<`, `&` or quotes.
    /// Control characters, which XML 1.0 forbids, become spaces.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped += " "
            default: escaped.unicodeScalars.append(scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) ? " " : scalar)
            }
        }
        return escaped
    }
}
