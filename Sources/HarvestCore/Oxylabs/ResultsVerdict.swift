/// What a 200 results answer means for the job, decided without trusting what the answer may leave out.
///
/// Older published samples have no `job` in the results answer, and a faulted job's results can answer
/// 200 with stub content: a 200 alone does not say the job is done. Only Oxylabs' own word, read with
/// credentials (the answer's `job`, or the status endpoint), does; a callback is unsigned and only a hint.
public enum ResultsVerdict: Sendable, Equatable {
    /// Done: store the results and end the job `done`.
    case store
    /// Oxylabs faulted the job: the content is a stub; submit it again (free) or end it `faulted`.
    case faulted
    /// Still running upstream: store nothing, poll again.
    case notReady
    /// The answer does not say: ask the status endpoint, then decide with ``afterStatus(_:)``.
    case askStatus

    /// The verdict on a 200 results answer whose `job` has `answered` status (nil: no `job` in it).
    /// `statusSaidDone` is true when the status endpoint itself reported the job done (a poll), false when
    /// the news came from a callback.
    public static func of(answered: RemoteJobStatus?, statusSaidDone: Bool) -> ResultsVerdict {
        switch answered {
        case .done?: .store
        case .faulted?: .faulted
        case .pending?, .other?: .notReady
        case nil: statusSaidDone ? .store : .askStatus
        }
    }

    /// The verdict once the status endpoint answered `status`: an unknown status is not done.
    public static func afterStatus(_ status: RemoteJobStatus) -> ResultsVerdict {
        switch status {
        case .done: .store
        case .faulted: .faulted
        case .pending, .other: .notReady
        }
    }
}
