import ArgumentParser

/// What nnmip checks on its command line before argument-parser parses it, for every command alike
/// (the options come from `CommandSurface`, so a new option is covered once it is declared):
///
/// - an option that takes one value may be given once: argument-parser would keep the last of
///   `--input-box 0:1 --input-box 5:6` and drop the first without a word, so repeating it is an
///   error (options that collect values, such as `--constraint` and `--output`, may repeat);
/// - `nnmip help WORDS` must name a command (argument-parser would print the overview and exit 0).
///
/// It also spells the options with an optional value as argument-parser reads them (`normalized`).
enum CommandLineCheck {
    /// A command line refused before parsing: the message, and the command whose usage to show.
    struct Refusal: Error {
        var message: String
        var path: [String]
    }

    /// The options whose value may be left out, with the value they then take and the values they
    /// accept as the next word: `--stats` alone is `--stats=summary`, `--stats layers` is `--stats=layers`.
    static let optionalValues: [String: (implied: String, values: [String])] = [
        "--stats": (StatsLevel.summary.rawValue, StatsLevel.allCases.map(\.rawValue)),
    ]

    /// `arguments` (without the program name) with every option of `optionalValues` in its
    /// `--name=value` form, the only one argument-parser knows.
    static func normalized(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var rest = arguments[...]
        while let word = rest.popFirst() {
            guard word != "--" else { return result + [word] + rest }
            guard let (implied, values) = optionalValues[word] else {
                result.append(word)
                continue
            }
            if let next = rest.first, values.contains(next) {
                result.append("\(word)=\(next)")
                rest = rest.dropFirst()
            } else {
                result.append("\(word)=\(implied)")
            }
        }
        return result
    }

    /// Refuses `arguments` (as typed, without the program name) when they repeat an option that
    /// takes one value, or when `help` names no command.
    static func check(_ arguments: [String], surface: CommandSurface = .nnmip) throws(Refusal) {
        let (command, path, rest) = surface.command(for: arguments)
        if path.isEmpty, rest.first == "help" {
            try checkHelpWords(rest.dropFirst(), surface: surface)
            return
        }
        var seen: [String: String] = [:]  // an option's first name → how it was given
        var words = rest
        while let word = words.popFirst(), word != "--" {
            guard let (option, name) = Self.option(in: word, of: command), option.takesValue else { continue }
            var given = word
            // A value not joined to its option (`--format lp`, not `--format=lp` or `-O2`) is the next
            // word; for an option whose value may be left out, only when it is one of its values.
            let joined = word.contains("=") || (!word.hasPrefix("--") && word.count > 2)
            let takesNext: (String) -> Bool = { next in
                if let optional = optionalValues[name] { return optional.values.contains(next) }
                return option.takesAnyValue || Self.option(in: next, of: command) == nil
            }
            if !joined, let next = words.first, takesNext(next) {
                given += " " + next
                words = words.dropFirst()
            }
            guard !option.repeats else { continue }
            if let earlier = seen[option.names[0]] {
                throw Refusal(message: "\(name) is given twice ('\(earlier)', then '\(given)'); it takes one value, so give it once", path: path)
            }
            seen[option.names[0]] = given
        }
    }

    /// The option that `word` spells for `command` (`--format`, `--format=lp`, `-o`, `-O2`), with
    /// its name as typed; nil for a value or a positional argument.
    private static func option(in word: String, of command: CommandSurface.Command) -> (CommandSurface.Option, String)? {
        guard word.hasPrefix("-"), word.count > 1 else { return nil }
        let name = word.hasPrefix("--") ? String(word.prefix { $0 != "=" }) : String(word.prefix(2))
        return command.option(named: name).map { ($0, name) }
    }

    /// `nnmip help WORDS`: every word must name a (sub)command.
    private static func checkHelpWords(_ words: ArraySlice<String>, surface: CommandSurface) throws(Refusal) {
        var command = surface.command
        var path: [String] = []
        for word in words where !word.hasPrefix("-") {
            guard let next = command.subcommand(word) else {
                let names = command.subcommands.map(\.commandName).filter { $0 != "help" }
                let known = names.isEmpty ? "'nnmip \(path.joined(separator: " "))' has no subcommands"
                                          : "the commands\(path.isEmpty ? "" : " of 'nnmip \(path.joined(separator: " "))'") are \(names.joined(separator: ", "))"
                throw Refusal(message: "help: no command '\((["nnmip"] + path + [word]).joined(separator: " "))'; \(known)", path: [])
            }
            (command, path) = (next, path + [word])
        }
    }
}

extension CommandLineCheck.Refusal {
    /// The refusal as argument-parser prints its own usage errors: the message, the command's usage
    /// line and where to read more.
    var report: String {
        var type: ParsableCommand.Type = NNMIP.self
        for word in path {
            guard let next = type.configuration.subcommands.first(where: { $0.configuration.commandName == word }) else { break }
            type = next
        }
        let command = (["nnmip"] + path).joined(separator: " ")
        return "Error: \(message)\nUsage: \(NNMIP.usageString(for: type))\n  See '\(command) --help' for more information.\n"
    }
}
