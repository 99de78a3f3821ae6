import Glibc

/// The `Date` header's text (RFC 9110 §5.6.7, IMF-fixdate: "Sun, 06 Nov
/// 1994 08:49:37 GMT"), made per response: a few hundred nanoseconds,
/// where a cached one needs a timer waking an idle agent every second.
/// Written out by hand rather than with strftime, whose day and month
/// names follow the process's locale.
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func now() -> String {
        format(secondsSinceEpoch: time(nil))
    }

    static func format(secondsSinceEpoch seconds: time_t) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(days[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) GMT"
    }

    private static func twoDigits(_ value: Int32) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
