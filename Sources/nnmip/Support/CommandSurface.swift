import ArgumentParser
import Foundation

/// The commands of nnmip and their options, as argument-parser describes them (its ToolInfo JSON,
/// the `--experimental-dump-help` output), so that the checks of `CommandLineCheck` and the hints of
/// `Diagnostics` need no hand-kept list of options: a new option is covered as soon as it is declared.
struct CommandSurface: Decodable {
    /// One option or flag of a command.
    struct Option {
        /// Its spellings as typed: `--input-box`, `-o`.
        var names: [String]
        /// Whether it takes a value (an option, not a flag).
        var takesValue: Bool
        /// Whether it may be given more than once (an array option, a counted flag).
        var repeats: Bool
        /// Whether its value is taken even when it starts with `-` (`--input-box -1:1`).
        var takesAnyValue: Bool
    }

    /// One command: its name, options and subcommands.
    struct Command: Decodable {
        var commandName: String
        var options: [Option]
        var subcommands: [Command]

        /// The option spelled `name` (`--format`, `-o`), if this command has it.
        func option(named name: String) -> Option? {
            options.first { $0.names.contains(name) }
        }

        /// The subcommand called `name`, except argument-parser's own `help`.
        func subcommand(_ name: String) -> Command? {
            subcommands.first { $0.commandName == name && $0.commandName != "help" }
        }
    }

    /// An argument as the ToolInfo JSON describes it.
    fileprivate struct Argument: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }

        var kind: String
        var names: [Name]?
        var isRepeating: Bool
        var parsingStrategy: String

        /// The option or flag, nil for a positional argument.
        var option: Option? {
            guard kind != "positional", let names, !names.isEmpty else { return nil }
            return Option(names: names.map { $0.kind == "long" ? "--" + $0.name : "-" + $0.name },
                          takesValue: kind == "option", repeats: isRepeating,
                          takesAnyValue: parsingStrategy.hasPrefix("unconditional"))
        }
    }

    /// The root command, `nnmip`.
    var command: Command

    /// nnmip's own commands, read once from argument-parser's description of them.
    static let nnmip: CommandSurface = {
        // The description is generated from the command types themselves, so it always decodes;
        // a failure would be a change of argument-parser's format, which the CLI tests catch.
        (try? JSONDecoder().decode(CommandSurface.self, from: Data(NNMIP._dumpHelp().utf8)))
            ?? CommandSurface(command: Command(commandName: "nnmip", options: [], subcommands: []))
    }()

    /// The command that `arguments` (without the program name) run, with the words that name it
    /// (`["solution", "read"]`) and the arguments after them.
    func command(for arguments: [String]) -> (command: Command, path: [String], rest: ArraySlice<String>) {
        var (current, path, rest) = (command, [String](), arguments[...])
        while let word = rest.first, let next = current.subcommand(word) {
            (current, path) = (next, path + [word])
            rest = rest.dropFirst()
        }
        return (current, path, rest)
    }

    /// The options of the command this process runs: what hints in diagnostics may suggest.
    static let currentOptions: Set<String> = {
        Set(nnmip.command(for: Array(CommandLine.arguments.dropFirst())).command.options.flatMap(\.names))
    }()
}

extension CommandSurface.Command {
    private enum CodingKeys: String, CodingKey { case commandName, arguments, subcommands }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        commandName = try container.decode(String.self, forKey: .commandName)
        subcommands = try container.decodeIfPresent([Self].self, forKey: .subcommands) ?? []
        options = try (container.decodeIfPresent([CommandSurface.Argument].self, forKey: .arguments) ?? []).compactMap(\.option)
    }
}
