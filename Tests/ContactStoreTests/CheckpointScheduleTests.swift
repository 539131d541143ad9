import Testing

@testable import ContactStore

/// When the write-ahead log is checkpointed, and where, commit by commit.
@Suite struct CheckpointScheduleTests {
    /// One full cycle: quiet below the threshold, one background checkpoint past it (not one
    /// per commit), the writer's catch-up once the background has nearly caught up, and a
    /// fresh count once the log has restarted.
    @Test func aCycleEndsWithTheWriterCatchingUpAndTheLogRestarting() {
        var schedule = CheckpointSchedule(thresholdPages: 1000)
        #expect(schedule.catchUpPages == 64)
        #expect(commit(&schedule, 400) == .none)
        #expect(commit(&schedule, 1010) == .background)
        // While it runs, further commits start nothing.
        #expect(commit(&schedule, 1100) == .none)
        #expect(commit(&schedule, 1300) == .none)
        // First round: it saw 1,010 pages and copied them all; 290 came since, so another round.
        schedule.checkpointed(log: 1010, copied: 1010)
        #expect(schedule.waitingPages == 290)
        #expect(!roundEnded(&schedule, last: false))
        // Second round: 20 left, so the writer takes the rest at its next commit.
        schedule.checkpointed(log: 1300, copied: 1300)
        #expect(commit(&schedule, 1320) == .none)
        #expect(roundEnded(&schedule, last: false))
        #expect(commit(&schedule, 1330) == .inline)
        schedule.checkpointed(log: 1330, copied: 1330)
        #expect(schedule.waitingPages == 0)
        // The next write restarted the log: its pages count from zero.
        #expect(commit(&schedule, 12) == .none)
        #expect(schedule.copiedPages == 0)
        #expect(commit(&schedule, 990) == .none)
        #expect(commit(&schedule, 1005) == .background)
    }

    /// The writer catches up on a 32nd of the threshold, at least 64 pages and at most 250: its
    /// catch-up syncs the database file, whose cost grows with every scattered page it copied.
    @Test func theWritersCatchUpIsBoundedWhateverTheThreshold() {
        #expect(CheckpointSchedule(thresholdPages: 500).catchUpPages == 64)
        #expect(CheckpointSchedule(thresholdPages: 4000).catchUpPages == 125)
        #expect(CheckpointSchedule(thresholdPages: 8000).catchUpPages == 250)
        #expect(CheckpointSchedule(thresholdPages: StoreConfiguration().checkpointPages).catchUpPages == 250)
        #expect(CheckpointSchedule(thresholdPages: 100_000).catchUpPages == 250)
    }

    /// A log that did not restart (a reader still used it) keeps counting from what was
    /// copied, so the next checkpoint starts a threshold later, not at the next commit.
    @Test func aLogThatKeepsGrowingCountsOnlyWhatIsNotCopied() {
        var schedule = CheckpointSchedule(thresholdPages: 1000)
        #expect(commit(&schedule, 1000) == .background)
        schedule.checkpointed(log: 1000, copied: 1000)
        #expect(roundEnded(&schedule, last: false))
        #expect(commit(&schedule, 1010) == .inline)
        schedule.checkpointed(log: 1010, copied: 1010)
        #expect(commit(&schedule, 1050) == .none)
        #expect(commit(&schedule, 1900) == .none)
        #expect(commit(&schedule, 2010) == .background)
    }

    /// A background that cannot keep up (or finds another checkpoint running) leaves the
    /// writer to copy inline at twice the threshold; a background that gave up is started
    /// again by the next commit past the threshold.
    @Test func theWriterCopiesInlineWhenTheBackgroundFallsBehind() {
        var schedule = CheckpointSchedule(thresholdPages: 1000)
        #expect(commit(&schedule, 1200) == .background)
        #expect(commit(&schedule, 1999) == .none)
        #expect(commit(&schedule, 2000) == .inline)
        schedule.checkpointed(log: 2000, copied: 1500)
        #expect(roundEnded(&schedule, last: true))
        #expect(commit(&schedule, 2600) == .background)
    }

    /// A checkpoint that looked at the log before the writer's latest commits still counts
    /// what it copied.
    @Test func aCheckpointBehindTheWriterStillCounts() {
        var schedule = CheckpointSchedule(thresholdPages: 1000)
        _ = commit(&schedule, 1500)
        schedule.checkpointed(log: 1200, copied: 1200)
        #expect(schedule.logPages == 1500)
        #expect(schedule.waitingPages == 300)
    }

    private func commit(_ schedule: inout CheckpointSchedule, _ pages: Int32) -> CheckpointSchedule.Action {
        schedule.writerCommitted(logPages: pages)
    }

    private func roundEnded(_ schedule: inout CheckpointSchedule, last: Bool) -> Bool {
        schedule.backgroundRoundEnded(lastRound: last)
    }
}
