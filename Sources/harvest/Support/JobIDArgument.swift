import ArgumentParser

/// The `ID` argument of the commands that act on one job.
struct JobIDArgument: ParsableArguments {
    @Argument(help: "The local job id.")
    var id: Int64

    func validate() throws {
        guard id >= 1 else { throw ValidationError("bad job id \(id): ids start at 1") }
    }
}
