namespace CrossBorderHub.Edifact.Validation;

/// <summary>A message met in the interchange (UNH), for identification and CONTRL UCM.</summary>
public sealed record MessageSummary(string Reference, string Type, string Version, string Release, string Agency,
    string? AssociationCode, int GroupIndex, int SegmentNumber, long Offset);

/// <summary>A functional group (UNG) met in the interchange, for CONTRL UCF.</summary>
public sealed record GroupSummary(string Reference, string Sender, string Recipient, int SegmentNumber);

/// <summary>Everything validation learnt: the envelope identity, the messages and every finding.</summary>
public sealed class ValidationResult
{
    public List<EdifactFinding> Findings { get; } = [];

    /// <summary>
    /// The messages met, for CONTRL: the first <see cref="EdifactValidator.MaxMessageSummaries"/> plus every message
    /// with a finding (so memory stays constant on a gigabyte interchange). <see cref="MessageCount"/> counts all.
    /// </summary>
    public List<MessageSummary> Messages { get; } = [];

    /// <summary>Every UNH met.</summary>
    public int MessageCount { get; internal set; }

    internal List<string> Types { get; } = [];

    public List<GroupSummary> Groups { get; } = [];

    public bool FindingsTruncated { get; internal set; }

    public string? SyntaxIdentifier { get; internal set; }

    public int SyntaxVersion { get; internal set; }

    public string? Sender { get; internal set; }

    public string? SenderQualifier { get; internal set; }

    public string? Recipient { get; internal set; }

    public string? RecipientQualifier { get; internal set; }

    public string? ControlReference { get; internal set; }

    public bool IsTest { get; internal set; }

    public bool AcknowledgementRequested { get; internal set; }

    /// <summary>UNB 0031 = 2 under syntax 4: the sender asks only to be told the interchange was received (CONTRL action 8).</summary>
    public bool ReceiptRequested { get; internal set; }

    public bool HasUnb { get; internal set; }

    public Delimiters Delimiters { get; internal set; } = Delimiters.Default;

    public long Length { get; internal set; }

    public int SegmentCount { get; internal set; }

    /// <summary>How many chunks were validated in parallel (1: one run over the whole interchange).</summary>
    public int Chunks { get; internal set; } = 1;

    /// <summary>No error finding (info and warning findings do not make an interchange invalid).</summary>
    public bool IsValid => Findings.TrueForAll(f => f.IsError == false);

    /// <summary>Distinct UNH message types in order of appearance, joined by '+' (e.g. "CUSDEC").</summary>
    public string MessageTypes => string.Join('+', Types);

    /// <summary>Findings about the interchange envelope (not inside a message or group).</summary>
    public IEnumerable<EdifactFinding> InterchangeFindings => Findings.Where(f => f.MessageIndex < 0 && f.GroupIndex < 0);
}
