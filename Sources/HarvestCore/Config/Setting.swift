/// One configuration knob: its config-file key, environment variable, flag, default and type.
///
/// Every knob is described once, so that precedence, validation, `harvest config show` and the
/// documentation cannot disagree about it.
public struct Setting: Sendable {
    /// What a value must look like; checked whichever source it comes from.
    public enum Kind: Sendable {
        case text
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case boolean
        /// A duration such as `120s`, at least the given minimum.
        case duration(minimum: Duration)
        case choice([String])
    }

    /// The config-file key, `section.name`.
    public var key: String
    /// The environment variable that sets it.
    public var environment: String
    /// The command-line flag that sets it, on the commands that take it.
    public var flag: String?
    /// The built-in default, as text; nil when unset by default.
    public var defaultValue: String?
    public var kind: Kind
    /// Never printed: `config show` masks it, errors do not quote it.
    public var isSecret: Bool
    /// One line for `config show` and the reference in the README.
    public var summary: String

    /// A knob whose environment variable is `HARVEST_` and the key in capitals (`HARVEST_HTTP_LISTEN`),
    /// unless `environment` names an established one.
    public init(
        _ key: String,
        environment: String? = nil,
        flag: String? = nil,
        default defaultValue: String? = nil,
        kind: Kind = .text,
        secret: Bool = false,
        summary: String
    ) {
        self.key = key
        self.environment =
            environment ?? "HARVEST_"
            + key.uppercased().map { $0 == "." || $0 == "-" ? "_" : $0 }.map(String.init).joined()
        self.flag = flag
        self.defaultValue = defaultValue
        self.kind = kind
        self.isSecret = secret
        self.summary = summary
    }
}
