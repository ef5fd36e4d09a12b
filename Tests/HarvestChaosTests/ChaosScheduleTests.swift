import Foundation
import HarvestChaos
import HarvestCore
import Testing

/// The run's decisions come from its seed: a failing run can be replayed with the same kills and jobs.
struct ChaosScheduleTests {
    @Test func theSameSeedMakesTheSameDecisions() {
        var settings = ChaosSettings()
        settings.seed = 42
        var first = ChaosSchedule(settings: settings)
        var second = ChaosSchedule(settings: settings)
        for _ in 0..<50 {
            #expect(first.nextKill() == second.nextKill())
            #expect(first.nextEnqueue() == second.nextEnqueue())
        }
        settings.seed = 43
        var other = ChaosSchedule(settings: settings)
        var again = ChaosSchedule(settings: ChaosSettings())
        #expect((0..<10).map { _ in other.nextKill() } != (0..<10).map { _ in again.nextKill() })
    }

    @Test func killsLandWithinTheIntervalOnBothServicesAndArmEveryCrashpointSoon() {
        var schedule = ChaosSchedule(settings: ChaosSettings())
        let kills = (0..<200).map { _ in schedule.nextKill() }
        #expect(kills.allSatisfy { ChaosSettings().killInterval.contains($0.delay) })
        #expect(Set(kills.map(\.target)) == [0, 1])
        let armed = kills.compactMap(\.crashpoint)
        let share = Double(armed.count) / Double(kills.count)
        #expect(share > 0.25 && share < 0.55, "\(share)")
        #expect(armed.allSatisfy { (0...ChaosSettings().maximumCrashpointSkip).contains($0.skip) })
        // Dealt from a deck: the first round arms each point once.
        let points = ChaosSettings.crashpoints
        #expect(Set(armed.prefix(points.count).map(\.name)) == Set(points))
        #expect(!points.contains(ChaosSettings.firstCrashpoint))
    }

    @Test func everyCrashpointNameIsOneHarvestKnows() {
        let names = ChaosSettings.crashpoints + [ChaosSettings.firstCrashpoint]
        for required in ["after-submit-before-commit", "mid-transaction", "mid-window", "after-grant-before-store"] {
            #expect(names.contains(required))
        }
        #expect(
            ChaosSchedule.ArmedCrashpoint(name: "mid-window", skip: 2).environment == [
                "HARVEST_CRASHPOINT": "mid-window", "HARVEST_CRASHPOINT_SKIP": "2",
            ]
        )
    }

    @Test func theJobMixHoldsSinglesAndBatchesOfValidJobs() throws {
        var schedule = ChaosSchedule(settings: ChaosSettings())
        let groups = (0..<300).map { _ in schedule.nextEnqueue().group }
        let batches = groups.filter { if case .batch = $0 { true } else { false } }
        #expect(batches.count > 60 && batches.count < 180)
        #expect(groups.contains { $0.arguments(file: "f").contains("render=png") })
        for group in batches {
            #expect((2...20).contains(group.count))
            #expect(group.arguments(file: "jobs.jsonl") == ["jobs", "submit", "--file", "jobs.jsonl"])
            // Every line is a valid job, and all share their parameters but the target: one batch request.
            var keys: Set<String> = []
            try JobLines(Data(group.fileText.utf8), resultTypes: nil).forEachJob { _, request in
                keys.insert(request.batchKey)
            }
            #expect(keys.count == 1)
        }
    }

    @Test func durationsAreWrittenAsHarvestReadsThem() throws {
        for duration: Duration in [.seconds(3), .milliseconds(1500), .seconds(120)] {
            #expect(try DurationInput.parse(ChaosSettings.text(duration), flag: "--x") == duration)
        }
    }
}
