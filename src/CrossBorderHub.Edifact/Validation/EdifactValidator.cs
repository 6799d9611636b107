using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Validation;

/// <summary>
/// Validates one interchange read from a stream in constant memory and returns every finding with its ISO 9735
/// syntax error code, segment number, byte offset, tag and element position. Never throws on bad input.
/// </summary>
public sealed partial class EdifactValidator
{
    private readonly DirectoryRegistry? _directories;
    private readonly ValidationLevel _level;
    private readonly string? _directoryOverride;

    /// <param name="directories">Where directories are found (null: directory and codes levels report them missing).</param>
    /// <param name="level">How deep to validate.</param>
    /// <param name="directoryOverride">Use this directory (e.g. "D96B") instead of the one UNH names.</param>
    public EdifactValidator(DirectoryRegistry? directories, ValidationLevel level = ValidationLevel.Codes, string? directoryOverride = null)
    {
        _directories = directories;
        _level = level;
        _directoryOverride = directoryOverride;
        HotPathWarmup.Start();
    }

    /// <summary>The directory a UNH names by its version and release ("D" + "96B"), unless the caller chose one.</summary>
    private string DirectoryName(string versionAndRelease) => _directoryOverride ?? versionAndRelease;

    /// <summary>
    /// Starts compiling the validator's hot methods on a background thread (once per process). A command that is
    /// about to validate calls it first thing, so the compilation overlaps its own start-up.
    /// </summary>
    public static void WarmUp() => HotPathWarmup.Start();

    /// <summary>
    /// Starts in the background what validating an interchange that begins with <paramref name="head"/> will need:
    /// the hot methods, and the directory, code lists and message structure its first UNH names. Purely ahead of
    /// time: validation does the same on first use, and loads nothing twice.
    /// </summary>
    public static void Prepare(DirectoryRegistry? directories, ReadOnlySpan<byte> head, ValidationLevel level = ValidationLevel.Codes,
        string? directoryOverride = null)
    {
        HotPathWarmup.Start();
        var reader = new EdifactSegmentReader(new MemoryStream(head.ToArray(), writable: false));
        for (var segments = 0; segments < 8 && reader.Read() is { Terminated: true } seg; segments++)
        {
            if (seg.IsTag("UNH"u8))
            {
                HotPathWarmup.PrefetchFor(directories, seg, level, directoryOverride);
                return;
            }
        }
    }

    /// <summary>Which deviations are reported as warnings instead of errors (default: strict, the letter of ISO 9735).</summary>
    public EdifactTolerance Tolerance { get; init; } = EdifactTolerance.Strict;

    /// <summary>Code lists of other agencies than UN/ECE, checked instead of skipped (null: codes of other agencies are an info finding).</summary>
    public CodeListFiles? CodeLists { get; init; }

    /// <summary>How many message summaries without findings are kept in <see cref="ValidationResult.Messages"/>.</summary>
    public const int MaxMessageSummaries = 1000;

    /// <summary>Upper bound on findings kept (a binary file would otherwise produce millions).</summary>
    public int MaxFindings { get; init; } = 10_000;

    public ValidationResult Validate(ReadOnlySpan<byte> data)
    {
        var copy = data.ToArray();
        using var stream = new MemoryStream(copy, writable: false);
        return Validate(stream);
    }

    public ValidationResult Validate(Stream stream, CancellationToken cancellationToken = default)
    {
        if (ChunkedValidation.TryValidate(this, stream, cancellationToken) is { } chunked)
        {
            return chunked;
        }
        var run = new Run(this, new ValidationResult());
        ValidateSegments(run, new EdifactSegmentReader(stream), cancellationToken);
        return run.Result;
    }

    /// <summary>Feeds every segment of <paramref name="reader"/> to <paramref name="run"/>, then ends it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ValidateSegments(Run run, EdifactSegmentReader reader, CancellationToken cancellationToken)
    {
        RawSegment? segment;
        var n = 0;
        while ((segment = reader.Read()) is not null)
        {
            if ((++n & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (run.Abandoned || run.ChunkFindingsFull)
                {
                    return;
                }
            }
            run.Segment(segment);
        }
        if (reader.Error is not null)
        {
            run.ReaderFailed = true;
            run.Add(new EdifactFinding(SyntaxError.UnspecifiedError, reader.Error, run.LastSegmentNumber + 1, reader.ErrorOffset, ""));
        }
        run.End(reader.Position);
    }

    private sealed partial class Run
    {
        private readonly EdifactValidator _owner;
        private readonly StructureMatcher _matcher = new();
        private State _state = State.Start;
        private EdifactCharset _charset = EdifactCharset.Default;
        private SearchValues<byte>? _forbidden;
        private ServiceDefinitions _service = ServiceDefinitions.For(4);
        private int _messagesInInterchange;
        private int _groupsInInterchange;
        private int _messagesInGroup;
        private string? _groupReference;
        private string? _groupMessageType;
        private bool _sawMessagesOutsideGroup;
        private string _messageReference = "";
        // UNH values decoded once while they repeat from message to message (type, version...), and the reference
        // kept as bytes for UNT: a valid message costs no string beyond its reference.
        private readonly RepeatedValue _unhReference = new(), _unhType = new(), _unhVersion = new(), _unhRelease = new(),
            _unhAgency = new(), _unhAssociation = new();
        private string? _nameVersion, _nameRelease;
        private string _name = "";
        private int _segmentsInMessage;
        private EdifactDirectory? _directory;
        private MessageSpec? _messageSpec;
        private RawSegment _current = null!;
        private int _messageIndex = -1;
        private int _groupIndex = -1;
        private bool _structureLost;
        private StructureMatcher.Report? _reportStructure;
        private int _findingsAtMessageStart;
        private bool _printableAsciiAllowed;
        private string? _lastDirectoryName;
        private EdifactDirectory? _lastDirectory;

        public Run(EdifactValidator owner, ValidationResult result)
        {
            _owner = owner;
            Result = result;
        }

        private enum State
        {
            Start,
            AfterUna,
            InInterchange,
            InGroup,
            InMessage,
            AfterUnz,
        }

        public ValidationResult Result { get; }

        public int LastSegmentNumber { get; private set; }

        /// <summary>Set when this run validates one chunk of a larger interchange (see <see cref="ChunkedValidation"/>).</summary>
        public ChunkContext? Chunk { get; init; }

        /// <summary>A chunk met something only a whole run can judge (a group, a second interchange...).</summary>
        public bool Abandoned { get; private set; }

        /// <summary>The segment reader stopped on an error (segment too long, I/O).</summary>
        public bool ReaderFailed { get; set; }

        /// <summary>True between messages inside the interchange: where the next chunk picks up.</summary>
        public bool BetweenMessages => _state == State.InInterchange;

        private bool Envelope => _owner._level >= ValidationLevel.Envelope;

        private bool DirectoryLevel => _owner._level >= ValidationLevel.Directory;

        private bool CodesLevel => _owner._level >= ValidationLevel.Codes;

        public void Add(EdifactFinding finding)
        {
            if (Result.Findings.Count >= _owner.MaxFindings)
            {
                Result.FindingsTruncated = true;
                return;
            }
            Result.Findings.Add(finding);
            if (Chunk is { Priming: false } chunk)
            {
                Interlocked.Increment(ref chunk.Findings.Count);
            }
        }

        /// <summary>The chunks together reached MaxFindings: the merge will decline, so this chunk stops early.</summary>
        public bool ChunkFindingsFull => Chunk is { } chunk && Volatile.Read(ref chunk.Findings.Count) >= _owner.MaxFindings;

        private void Report(SyntaxError code, string message, int element = 0, int component = 0, int repetition = 0, long? offset = null,
            EdifactSeverity severity = EdifactSeverity.Error)
        {
            var seg = _current;
            Add(new EdifactFinding(code, message, seg.SegmentNumber, offset ?? seg.Offset, SafeTag(seg), element, component, repetition)
            {
                Severity = severity,
                MessageIndex = _state == State.InMessage ? _messageIndex : -1,
                PositionInMessage = _state == State.InMessage ? _segmentsInMessage : 0,
                GroupIndex = _state is State.InGroup || (_state == State.InMessage && _groupReference is not null) ? _groupIndex : -1,
            });
        }

        /// <summary>Reports at a value; the component position is given only for composites (as CONTRL S011 does).</summary>
        private void ReportAt(in ValueRef value, SyntaxError code, string message, bool? composite = null, EdifactSeverity severity = EdifactSeverity.Error) =>
            Report(code, message, value.Element, (composite ?? IsComposite(_current, value)) ? value.Component + 1 : 0, value.Repetition, _current.OffsetOf(value),
                severity);

        private static bool IsComposite(RawSegment seg, in ValueRef value)
        {
            if (value.Component > 0)
            {
                return true;
            }
            var i = seg.FirstValueIndex(value.Element);
            for (; i >= 0 && i < seg.ValueCount && seg.Values[i].Element == value.Element; i++)
            {
                if (seg.Values[i].Component > 0)
                {
                    return true;
                }
            }
            return false;
        }

        private static string SafeTag(RawSegment seg)
        {
            var tag = seg.TagSpan;
            if (tag.Length is > 0 and <= 3 && IsTagBytes(tag))
            {
                return Encoding.ASCII.GetString(tag);
            }
            return "???";
        }

        private static bool IsTagBytes(ReadOnlySpan<byte> tag)
        {
            foreach (var b in tag)
            {
                if (!(b is >= (byte)'A' and <= (byte)'Z' || b is >= (byte)'0' and <= (byte)'9'))
                {
                    return false;
                }
            }
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Segment(RawSegment seg)
        {
            _current = seg;
            LastSegmentNumber = seg.SegmentNumber;
            Result.SegmentCount++;
            var tag = seg.TagSpan;
            var key = TagKey.Of(tag);
            if (TryCleanDataSegment(seg, key))
            {
                return;
            }
            CheckSyntax(seg);
            if (tag.Length != 3 || !IsTagBytes(tag))
            {
                if (_state == State.InMessage)
                {
                    _segmentsInMessage++;
                }
                return;
            }
            if (!Envelope)
            {
                if (seg.IsTag("UNB"u8))
                {
                    ReadUnb(seg, validate: false);
                }
                else if (seg.IsTag("UNH"u8))
                {
                    // No UNT handling at this level: the previous message ends here, and is forgotten like one
                    // ended by UNT (before, every summary of a million-message file stayed in memory).
                    if (Result.MessageCount > 0)
                    {
                        ForgetMessageWithoutFindings();
                    }
                    StartMessage(seg, structure: false);
                    _state = State.InInterchange;
                }
                return;
            }
            if (Chunk is { } chunk && !chunk.Accepts(key))
            {
                Abandoned = true; // this interchange cannot be validated in chunks: the caller validates it whole
                return;
            }
            switch (key)
            {
                case TagKey.Una:
                    OnUna(seg);
                    break;
                case TagKey.Unb:
                    OnUnb(seg);
                    break;
                case TagKey.Ung:
                    OnUng(seg);
                    break;
                case TagKey.Une:
                    OnUne(seg);
                    break;
                case TagKey.Unh:
                    OnUnh(seg);
                    break;
                case TagKey.Unt:
                    OnUnt(seg);
                    break;
                case TagKey.Unz:
                    OnUnz(seg);
                    break;
                default:
                    OnDataSegment(seg);
                    break;
            }
        }

        public void End(long length)
        {
            Result.Length = length;
            if (!Envelope || Chunk is { IsLast: false })
            {
                return; // a chunk that the next one continues: its end is not the end of the interchange
            }
            var last = new EdifactFinding(SyntaxError.Missing, "", LastSegmentNumber + 1, length, "");
            switch (_state)
            {
                case State.Start:
                case State.AfterUna:
                    Add(last with { Tag = "UNB", Message = Result.SegmentCount == 0 ? "no EDIFACT data: the file is empty" : "UNB interchange header is missing" });
                    break;
                case State.InMessage:
                    Add(last with { Tag = "UNT", Message = $"message {_messageReference} is not closed: UNT is missing (truncated file?)", MessageIndex = _messageIndex, PositionInMessage = _segmentsInMessage + 1 });
                    if (_groupReference is not null)
                    {
                        Add(last with { Tag = "UNE", Message = $"group {_groupReference} is not closed: UNE is missing" });
                    }
                    Add(last with { Tag = "UNZ", Message = "UNZ interchange trailer is missing (truncated file?)" });
                    break;
                case State.InGroup:
                    Add(last with { Tag = "UNE", Message = $"group {_groupReference} is not closed: UNE is missing" });
                    Add(last with { Tag = "UNZ", Message = "UNZ interchange trailer is missing (truncated file?)" });
                    break;
                case State.InInterchange:
                    Add(last with { Tag = "UNZ", Message = "UNZ interchange trailer is missing (truncated file?)" });
                    break;
            }
        }
    }
}
