using System.Runtime.ExceptionServices;

namespace CrossBorderHub.Edifact.Validation;

public sealed partial class EdifactValidator
{
    /// <summary>Smallest input validated in chunks; below it, starting threads costs more than it saves.</summary>
    internal long MinimumChunkedLength { get; init; } = 8 << 20;

    /// <summary>How many chunks at most (null: one per processor).</summary>
    internal int? MaxChunks { get; init; }

    /// <summary>
    /// One run per chunk of the interchange's context: its position, and the message count of the chunks before it,
    /// which only the chunk holding UNZ asks for (and waits on).
    /// </summary>
    private sealed class ChunkContext(int index, bool isLast, Func<int> messagesBefore, ChunkFindings findings)
    {
        public int Index { get; } = index;

        /// <summary>The findings of all chunks so far: past MaxFindings the chunks stop, as only a single run can cap them.</summary>
        public ChunkFindings Findings { get; } = findings;

        public bool IsLast { get; } = isLast;

        /// <summary>True while a later chunk replays the interchange header to start in the same state.</summary>
        public bool Priming { get; set; }

        public int MessagesBefore() => messagesBefore();

        /// <summary>Segments a chunk can judge alone; anything else makes the whole interchange go through one run.</summary>
        public bool Accepts(int key) => key switch
        {
            TagKey.Ung or TagKey.Une => false,
            TagKey.Una or TagKey.Unb => Index == 0 || Priming,
            TagKey.Unz => IsLast,
            _ => true,
        };
    }

    /// <summary>
    /// Shared by the chunks of one validation. Before, each chunk went on to its own MaxFindings and kept them (8
    /// chunks: 80,000 findings) although the result was then thrown away for a single run.
    /// </summary>
    private sealed class ChunkFindings
    {
        public int Count;
    }

    /// <summary>
    /// Validates a large interchange on several cores: the file is cut just before UNH segments, each chunk is
    /// validated by its own run (later chunks first replay the UNA/UNB header, so they start in the state one run
    /// would be in), and the results are joined: segment numbers and message indexes shifted, message summaries
    /// kept by the same rule, and UNZ's message count checked against every chunk's messages. The result equals a
    /// single run's, finding for finding (a test compares them); whenever a chunk meets something only a single run
    /// can judge (functional groups, an unclosed message at a cut, many findings), the interchange is validated
    /// again in one run.
    /// </summary>
    private static class ChunkedValidation
    {
        private const int HeaderLimit = 1 << 20;
        private const int ChunksPerCore = 4;

        public static ValidationResult? TryValidate(EdifactValidator owner, Stream stream, CancellationToken cancellationToken)
        {
            if (owner._level < ValidationLevel.Envelope || (owner.MaxChunks ?? Environment.ProcessorCount) < 2 || !RangeSource.TryCreate(stream, out var source)
                || source.Length < Math.Max(1, owner.MinimumChunkedLength))
            {
                return null;
            }
            // A few chunks per core, so a core that runs slower takes fewer of them (see RunChunks); at least 1 MiB each.
            var chunks = owner.MaxChunks ?? (int)Math.Min(Math.Min(Environment.ProcessorCount, 16) * ChunksPerCore, Math.Max(2, source.Length >> 20));
            if (ReadHeader(owner, source) is not { } header)
            {
                return null;
            }
            var starts = new List<long> { 0 };
            for (var i = 1; i < chunks; i++)
            {
                var target = header.End + (source.Length - header.End) * i / chunks;
                var start = FindMessageStart(source, Math.Max(target, starts[^1] + 1), header.Delimiters);
                if (start < 0)
                {
                    break;
                }
                if (start > starts[^1])
                {
                    starts.Add(start);
                }
            }
            if (starts.Count < 2)
            {
                return null;
            }
            // Chunks read by position (their own range streams), so the caller's stream is still at 0 for a single
            // run when Merge declines.
            return Merge(owner, RunChunks(owner, source, header, starts, cancellationToken), header);
        }

        private sealed record Header(Delimiters Delimiters, long End, int Segments);

        /// <summary>The segments before the first UNH: where it starts, the delimiters, and no functional group.</summary>
        private static Header? ReadHeader(EdifactValidator owner, RangeSource source)
        {
            var reader = new EdifactSegmentReader(source.Open(0, Math.Min(source.Length, HeaderLimit)));
            var segments = 0;
            var unb = false;
            while (reader.Read() is { } seg)
            {
                unb |= seg.IsTag("UNB"u8);
                if (seg.IsTag("UNH"u8))
                {
                    if (!unb)
                    {
                        // No UNB before the first message: each chunk would report "UNH before UNB" again where the
                        // single run reports it once. A file this broken is not worth splitting; one run it is.
                        return null;
                    }
                    // The chunks about to start all need this message's directory first: load it meanwhile.
                    HotPathWarmup.PrefetchFor(owner._directories, seg, owner._level, owner._directoryOverride);
                    return new Header(seg.Delimiters, seg.BufferOffset + seg.LayoutStart, segments);
                }
                if (seg.IsTag("UNG"u8) || ++segments > 8)
                {
                    return null;
                }
            }
            return null;
        }

        /// <summary>
        /// The offset just after the first unescaped segment terminator at or after <paramref name="from"/> that is
        /// followed (after layout) by "UNH" and an element separator; -1 when there is none.
        /// </summary>
        private static long FindMessageStart(RangeSource source, long from, Delimiters delimiters)
        {
            const int Block = 1 << 16, Slack = 64;
            var buffer = new byte[Slack + Block + Slack];
            for (var pos = from; pos < source.Length; pos += Block)
            {
                var begin = Math.Max(0, pos - Slack);
                var count = source.Read(begin, buffer);
                var data = buffer.AsSpan(0, count);
                var first = (int)(pos - begin);
                for (var i = first; i < Math.Min(count, first + Block); i++)
                {
                    if (data[i] != delimiters.Segment || IsEscaped(data, i, delimiters.Release, out var certain) || !certain)
                    {
                        continue;
                    }
                    var j = i + 1;
                    while (j < data.Length && data[j] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t')
                    {
                        j++;
                    }
                    if (j + 4 <= data.Length && data.Slice(j, 3).SequenceEqual("UNH"u8) && data[j + 3] == delimiters.Element)
                    {
                        return begin + i + 1;
                    }
                }
            }
            return -1;
        }

        /// <summary>An odd run of release characters before <paramref name="i"/> escapes it; unsure when the run reaches the buffer start.</summary>
        private static bool IsEscaped(ReadOnlySpan<byte> data, int i, byte release, out bool certain)
        {
            certain = true;
            if (release == 0)
            {
                return false;
            }
            var run = 0;
            while (i - run - 1 >= 0 && data[i - run - 1] == release)
            {
                run++;
            }
            certain = i - run > 0;
            return run % 2 == 1;
        }

        /// <summary>
        /// Validates the chunks on one worker thread per core, each taking the next chunk in order: when one core
        /// runs slower (a shared machine), the other takes more chunks instead of waiting for it at the end.
        /// </summary>
        private static Run[] RunChunks(EdifactValidator owner, RangeSource source, Header header, List<long> starts, CancellationToken cancellationToken)
        {
            var count = starts.Count;
            var finished = Enumerable.Range(0, count).Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            var runs = new Run[count];
            var next = -1;
            var findings = new ChunkFindings();
            void Work()
            {
                // Chunks are taken in order, so when the one holding UNZ waits for the message counts of those
                // before it, they are all running or done.
                for (var index = Interlocked.Increment(ref next); index < count; index = Interlocked.Increment(ref next))
                {
                    runs[index] = RunChunk(owner, source, header, starts, index, finished, findings, cancellationToken);
                }
            }
            var workers = Enumerable.Range(0, Math.Min(count, Math.Max(2, Environment.ProcessorCount)))
                .Select(_ => Task.Factory.StartNew(Work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            try
            {
                Task.WaitAll(workers, cancellationToken);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
            return runs;
        }

        private static Run RunChunk(EdifactValidator owner, RangeSource source, Header header, List<long> starts, int index,
            TaskCompletionSource<int>[] finished, ChunkFindings findings, CancellationToken cancellationToken)
        {
            var count = starts.Count;
            var end = index + 1 < count ? starts[index + 1] : source.Length;
            // The chunk holding UNZ needs the message counts of all chunks before it: it waits for them at UNZ.
            int MessagesBefore() => Enumerable.Range(0, index).Sum(j => finished[j].Task.GetAwaiter().GetResult());
            var run = new Run(owner, new ValidationResult()) { Chunk = new ChunkContext(index, index == count - 1, MessagesBefore, findings) };
            try
            {
                if (index == 0)
                {
                    ValidateSegments(run, new EdifactSegmentReader(source.Open(0, end)), cancellationToken);
                    return run;
                }
                run.Chunk.Priming = true;
                var headerReader = new EdifactSegmentReader(source.Open(0, header.End));
                while (headerReader.Read() is { } seg)
                {
                    run.Segment(seg);
                }
                run.Chunk.Priming = false;
                run.Result.Findings.Clear(); // the first chunk reports the header
                var reader = new EdifactSegmentReader(source.Open(starts[index], end), header.Delimiters, starts[index], header.Segments);
                ValidateSegments(run, reader, cancellationToken);
                return run;
            }
            finally
            {
                finished[index].TrySetResult(run.Result.MessageCount);
            }
        }

        /// <summary>One result from the chunks' results, or null when a single run must decide.</summary>
        private static ValidationResult? Merge(EdifactValidator owner, Run[] runs, Header header)
        {
            var total = runs.Sum(r => r.Result.Findings.Count);
            for (var i = 0; i < runs.Length; i++)
            {
                var r = runs[i];
                if (r.Abandoned || r.Result.FindingsTruncated || (i < runs.Length - 1 && (!r.BetweenMessages || r.ReaderFailed)))
                {
                    return null;
                }
            }
            if (total >= owner.MaxFindings)
            {
                return null;
            }
            var result = runs[0].Result;
            var segmentBase = result.SegmentCount;
            var messageBase = result.MessageCount;
            for (var i = 1; i < runs.Length; i++)
            {
                var chunk = runs[i].Result;
                var shift = segmentBase - header.Segments;
                var withFindings = new bool[chunk.Messages.Count];
                foreach (var f in chunk.Findings)
                {
                    if (f.MessageIndex >= 0)
                    {
                        withFindings[f.MessageIndex] = true;
                    }
                }
                // A single run keeps the first MaxMessageSummaries messages and every message with a finding; a
                // chunk's own list starts with its first ones, so its first entries are its first messages.
                var index = new int[chunk.Messages.Count];
                for (var m = 0; m < chunk.Messages.Count; m++)
                {
                    var keep = withFindings[m] || (m < MaxMessageSummaries && messageBase + m < MaxMessageSummaries);
                    index[m] = keep ? result.Messages.Count : -1;
                    if (keep)
                    {
                        var summary = chunk.Messages[m];
                        result.Messages.Add(summary with { SegmentNumber = summary.SegmentNumber + shift });
                    }
                }
                foreach (var f in chunk.Findings)
                {
                    result.Findings.Add(f with { SegmentNumber = f.SegmentNumber + shift, MessageIndex = f.MessageIndex >= 0 ? index[f.MessageIndex] : -1 });
                }
                foreach (var type in chunk.Types)
                {
                    if (!result.Types.Contains(type))
                    {
                        result.Types.Add(type);
                    }
                }
                result.MessageCount += chunk.MessageCount;
                result.SegmentCount += chunk.SegmentCount - header.Segments;
                result.Length = chunk.Length;
                segmentBase += chunk.SegmentCount - header.Segments;
                messageBase += chunk.MessageCount;
            }
            result.Chunks = runs.Length;
            return result;
        }
    }
}
