import Foundation
import TestSupport

/// The `nnmip` command tree as swift-argument-parser describes it
/// (`nnmip --experimental-dump-help`, its ToolInfo JSON): every subcommand and
/// every option, so that tests need no hand-kept list of them.
struct CommandTree: Decodable {
    /// One command of the tree.
    struct Command: Decodable {
        var commandName: String
        var arguments: [Argument]?
        var subcommands: [Command]?
    }

    /// One argument of a command.
    struct Argument: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }

        var kind: String
        var names: [Name]?
        var shouldDisplay: Bool
        var isRepeating: Bool

        /// The option's first name as typed (`--time-limit`, `-o`).
        var spelled: String? {
            names?.first.map { name in name.kind == "long" ? "--" + name.name : "-" + name.name }
        }
    }

    var command: Command

    /// Reads the tree from the built `nnmip`.
    static func load() throws -> CommandTree {
        let dump = try Tool.nnmip(["--experimental-dump-help"])
        return try JSONDecoder().decode(CommandTree.self, from: Data(dump.stdout.utf8))
    }

    /// Every command below the root, as the words that run it (`["solution", "read"]`),
    /// without argument-parser's own `help`.
    var subcommandPaths: [[String]] {
        func walk(_ command: Command, _ path: [String]) -> [[String]] {
            (command.subcommands ?? []).filter { $0.commandName != "help" }.flatMap { child in
                [path + [child.commandName]] + walk(child, path + [child.commandName])
            }
        }
        return walk(command, [])
    }

    /// The command at `path` (the root for `[]`).
    func command(at path: [String]) -> Command? {
        var current: Command? = command
        for word in path { current = current?.subcommands?.first { $0.commandName == word } }
        return current
    }

    /// The options `--help` shows for the command at `path`, spelled as typed (`--time-limit`, `-o`).
    func options(at path: [String]) -> Set<String> {
        let shown = (command(at: path)?.arguments ?? []).filter { $0.shouldDisplay && $0.kind != "positional" }
        return Set(shown.flatMap { $0.names ?? [] }.map { name in
            switch name.kind {
            case "short": "-" + name.name
            case "longWithSingleDash": "-" + name.name
            default: "--" + name.name
            }
        })
    }

    /// The options of the command at `path` that take one value (not flags, not options that collect values).
    func singleValuedOptions(at path: [String]) -> [String] {
        (command(at: path)?.arguments ?? []).filter { $0.kind == "option" && !$0.isRepeating }.compactMap(\.spelled)
    }

    /// The commands that have no subcommands of their own (the ones a user runs).
    var leafPaths: [[String]] {
        subcommandPaths.filter { path in (command(at: path)?.subcommands ?? []).allSatisfy { $0.commandName == "help" } }
    }
}
