import ArgumentParser
import Foundation
import HarvestCore
import HarvestServer
import HarvestStore

/// Turns any error into one line on stderr and Harvest's exit status: 2 for bad input, 1 otherwise.
enum ErrorReporter {
    static let badInput: Int32 = 2
    static let failure: Int32 = 1

    static func exit(with error: any Error) -> Never {
        let (message, status) = describe(error)
        guard let message else {
            // --help, --version: ArgumentParser prints them and exits 0.
            HarvestCommand.exit(withError: error)
        }
        let line = message.split(whereSeparator: \.isNewline).joined(separator: "; ")
        FileHandle.standardError.write(Data("harvest: error: \(line)\n".utf8))
        Foundation.exit(status)
    }

    private static func describe(_ error: any Error) -> (String?, Int32) {
        switch error {
        case let error as InputError: return (error.message, badInput)
        case let error as StoreError: return (error.description, error.isInputError ? badInput : failure)
        case let error as QueryError: return (error.description, error.isInputError ? badInput : failure)
        case let error as CommandFailure: return (error.message, failure)
        case let error as HarvestServiceError: return (error.description, failure)
        case let error as ExitCode: return (nil, error.rawValue)
        case _ where DatabaseFailure.describe(error) != nil: return (DatabaseFailure.describe(error), failure)
        default:
            let code = HarvestCommand.exitCode(for: error)
            if code == .success { return (nil, 0) }
            let message = HarvestCommand.message(for: error)
            // ArgumentParser reports usage and validation problems as EX_USAGE (64); Harvest says 2.
            return (message, code == .validationFailure ? badInput : failure)
        }
    }
}

/// A runtime failure that is not the user's input (exit status 1).
struct CommandFailure: Error {
    var message: String
}
