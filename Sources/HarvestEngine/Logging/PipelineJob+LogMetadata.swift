import HarvestStore
import Logging

extension PipelineJob {
    /// The fields every log event about a job carries: `job` (the local id) and, once Oxylabs answered
    /// a submission, `remote` (Oxylabs' job id).
    var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = ["job": "\(id)"]
        if let remoteID { metadata["remote"] = "\(remoteID)" }
        return metadata
    }
}

extension Logger.Metadata {
    /// The metadata with `more` added (`more` wins on a shared key).
    func adding(_ more: Logger.Metadata) -> Logger.Metadata {
        merging(more) { _, new in new }
    }
}
