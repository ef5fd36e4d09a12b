/// The effective configuration: every knob resolved from, lowest to highest, its built-in default,
/// the config file, the environment and the command line.
///
/// Resolution checks every value it takes and refuses keys the file should not have, so that a typo
/// in a config file is an error rather than a silently ignored line.
public struct Settings: Sendable {
    /// Where an effective value came from.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case builtIn
        case file(path: String, line: Int)
        case environment(String)
        case flag(String)

        public var description: String {
            switch self {
            case .builtIn: return "default"
            case .file(let path, let line): return "\(path) line \(line)"
            case .environment(let name): return name
            case .flag(let name): return name
            }
        }
    }

    /// One knob's effective value.
    public struct Resolved: Sendable {
        public var setting: Setting
        public var value: SettingValue?
        public var text: String?
        public var source: Source

        /// How an error about this value names it: the flag or variable the user wrote, or the key.
        public var label: String {
            switch source {
            case .builtIn: return setting.key
            case .file(let path, let line): return "\(setting.key) (\(path) line \(line))"
            case .environment(let name), .flag(let name): return name
            }
        }

        /// The value as `config show` prints it: secrets masked, unset values as `-`.
        public var shown: String {
            guard let text else { return "-" }
            return setting.isSecret ? "********" : text
        }
    }

    /// Every knob, in catalog order.
    public private(set) var all: [Resolved]
    private var index: [String: Int]

    /// Resolves `catalog`; `flags` maps keys to the text of the flags given, `file` is the parsed
    /// config file and the name it is reported under.
    public init(
        catalog: [Setting],
        file: (path: String, contents: ConfigFile)? = nil,
        environment: [String: String],
        flags: [String: String] = [:]
    ) throws(InputError) {
        let known = Set(catalog.map(\.key))
        if let file {
            let unknown = file.contents.entries.filter { !known.contains($0.key) }.min { $0.value.line < $1.value.line }
            if let unknown {
                throw InputError("\(file.path) line \(unknown.value.line): unknown key \(unknown.key)")
            }
        }
        all = []
        index = [:]
        for setting in catalog {
            var resolved = Resolved(setting: setting, value: nil, text: setting.defaultValue, source: .builtIn)
            if let given = flags[setting.key] {
                resolved.text = given
                resolved.source = .flag(setting.flag ?? setting.key)
            } else if let variable = environment[setting.environment], !variable.isEmpty {
                resolved.text = variable
                resolved.source = .environment(setting.environment)
            } else if let file, let entry = file.contents.entries[setting.key] {
                resolved.text = entry.value.text
                resolved.source = .file(path: file.path, line: entry.line)
            }
            if let text = resolved.text {
                resolved.value = try SettingValue(
                    text: text,
                    kind: setting.kind,
                    label: resolved.label,
                    secret: setting.isSecret
                )
            }
            index[setting.key] = all.count
            all.append(resolved)
        }
    }

    /// The knob named `key`; a key outside the catalog is a programming error.
    public subscript(key: String) -> Resolved {
        guard let position = index[key] else { preconditionFailure("no setting \(key)") }
        return all[position]
    }

    /// The text value, or nil when unset (an empty environment variable counts as unset).
    public func text(_ key: String) -> String? {
        guard case .text(let text)? = self[key].value else { return nil }
        return text.isEmpty ? nil : text
    }

    public func integer(_ key: String) -> Int {
        guard case .integer(let number)? = self[key].value else { preconditionFailure("\(key) is not an integer") }
        return number
    }

    public func number(_ key: String) -> Double {
        guard case .number(let number)? = self[key].value else { preconditionFailure("\(key) is not a number") }
        return number
    }

    public func boolean(_ key: String) -> Bool {
        guard case .boolean(let flag)? = self[key].value else { preconditionFailure("\(key) is not a boolean") }
        return flag
    }

    public func duration(_ key: String) -> Duration {
        guard case .duration(let duration)? = self[key].value else { preconditionFailure("\(key) is not a duration") }
        return duration
    }
}
