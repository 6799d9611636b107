using System.Globalization;
using System.Text;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Edifact;
using CrossBorderHub.Edifact.Contrl;
using CrossBorderHub.Edifact.Directory;
using CrossBorderHub.Edifact.Validation;

namespace CrossBorderHub.Core.Edifact;

/// <summary>
/// The pipeline's EDIFACT step: recognises UNA/UNB, streams the interchange through the validator at the level the
/// sending partner's profile asks (default "codes"), fills the identity from UNB/UNH, builds a CONTRL when UNB asks
/// for one (0031 = 1), the partner always wants one, or the interchange is rejected, and correlates an incoming
/// CONTRL with the interchange it answers.
/// </summary>
public sealed class EdifactInspector : IDocumentInspector
{
    private readonly HubOptions _hub;
    private readonly TimeProvider _time;
    private readonly Lazy<DirectoryRegistry> _directories;
    private readonly Lazy<CodeListFiles> _codeLists;

    public EdifactInspector(HubOptions hub, TimeProvider time)
    {
        _hub = hub;
        _time = time;
        _directories = new(() => new DirectoryRegistry(SchemasLocator.EdifactRoot(_hub.Processing.SchemasPath)));
        // schemas/codelists beside schemas/edifact; a file that cannot be read is a start-up error (EdifactToleranceCheck).
        _codeLists = new(() => CodeListFiles.Load(SchemasLocator.CodeListsRoot(_directories.Value.Root)));
    }

    public DocumentFormat Format => DocumentFormat.Edifact;

    public bool Recognizes(ReadOnlySpan<byte> head) => LooksLikeEdifact(head);

    /// <summary>UNA or UNB first, after an optional UTF-8 BOM and white space: what every interchange starts with.</summary>
    public static bool LooksLikeEdifact(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }
        var start = 0;
        while (start < head.Length && head[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }
        head = head[start..];
        return head.StartsWith("UNA"u8) || head.StartsWith("UNB"u8);
    }

    /// <summary>
    /// Called with the first bytes of an interchange about to be inspected (the CLI does, once it knows the format):
    /// the validator's hot methods and the directory its first UNH names start loading in the background.
    /// </summary>
    public void Prepare(ReadOnlySpan<byte> head, InspectionOverrides? overrides) =>
        EdifactValidator.Prepare(_directories.Value, head, ParseLevel(overrides?.Level ?? "codes"), overrides?.Directory);

    public async Task<Inspection> InspectAsync(InspectionRequest request, CancellationToken cancellationToken)
    {
        var levelName = request.Overrides?.Level ?? request.SourcePartnerOptions?.Validation ?? "codes";
        var skipFindings = string.Equals(levelName, "none", StringComparison.OrdinalIgnoreCase);
        var level = ParseLevel(levelName);
        var validator = new EdifactValidator(_directories.Value, level, request.Overrides?.Directory)
        {
            Tolerance = EdifactToleranceOptions.Resolve(request.SourcePartnerOptions?.Tolerance, request.Overrides?.Profile),
            CodeLists = _codeLists.Value,
        };
        ValidationResult result;
        await using (var stream = request.OpenContent())
        {
            // The validator reads synchronously in 64 KiB windows; run it off the caller's thread.
            result = await Task.Run(() => validator.Validate(stream, cancellationToken), cancellationToken);
        }
        var identity = new DocumentIdentity
        {
            Format = DocumentFormat.Edifact,
            DocumentType = result.MessageTypes,
            Sender = result.Sender,
            Recipient = result.Recipient,
            ControlReference = result.ControlReference,
            IsTest = result.IsTest,
            AcknowledgementRequested = result.AcknowledgementRequested,
        };
        var findings = skipFindings ? [] : result.Findings.Select(ToFinding).ToList();
        if (result.FindingsTruncated && !skipFindings)
        {
            findings.Add(new Finding(FindingSeverity.Warning, "18", $"more than {validator.MaxFindings} findings: the rest were not listed", "interchange"));
        }
        if (skipFindings)
        {
            // Not an error and not silent: the message's events say that nothing was checked, and why.
            findings.Add(new Finding(FindingSeverity.Info, "none",
                $"not validated: Hub:Partners:{request.SourcePartner}:Validation is none, so only the envelope was read (for routing)", "interchange"));
        }
        var documents = await ExtractDocumentsAsync(request, findings, cancellationToken);
        var isContrl = result.MessageTypes == "CONTRL";
        Correlation? answers = null;
        if (isContrl)
        {
            answers = await CorrelateAsync(request, cancellationToken);
        }
        var rejected = findings.Any(f => f.Severity == FindingSeverity.Error);
        var partner = request.SourcePartnerOptions;
        var partial = !isContrl && rejected && partner?.PartialAcceptance == true
            ? await PartiallyAcceptAsync(request, result, cancellationToken)
            : null;
        OutgoingAcknowledgement? reply = null;
        var receipt = result.ReceiptRequested || partner?.ReceiptOnly == true;
        // A CONTRL is never acknowledged with a CONTRL (ISO 9735-1, 9.2); anything else is when asked or rejected.
        if (!isContrl && result.HasUnb && (result.AcknowledgementRequested || receipt || partner?.AlwaysAcknowledge == true || rejected))
        {
            var reference = ContrlReference(request.Message.Id);
            // The hub acknowledges on its own behalf (Hub:Identity:EdifactId), as the intermediary that checked the
            // interchange; the recipient's own CONTRL, if it sends one, is passed on under the recipient's name.
            var hubId = _hub.Identity.EdifactId;
            var answered = skipFindings ? WithoutFindings(result) : result;
            var bytes = receipt && !rejected
                ? ContrlBuilder.BuildReceipt(answered, reference, _time.GetUtcNow(), sender: hubId)
                : ContrlBuilder.Build(answered, reference, _time.GetUtcNow(), partialAcceptance: partial is not null, sender: hubId);
            var replyIdentity = new DocumentIdentity
            {
                Format = DocumentFormat.Edifact,
                DocumentType = "CONTRL",
                Sender = hubId,
                Recipient = result.Sender,
                ControlReference = reference,
                IsTest = result.IsTest,
            };
            reply = new OutgoingAcknowledgement("CONTRL", $"CONTRL_{Safe(result.ControlReference)}_{reference}.edi", bytes, replyIdentity);
        }
        return new Inspection(identity, findings, reply, answers, partial) { Documents = documents };
    }

    /// <summary>Business identity per message (issue 16); a message without a number is a warning, never a rejection.</summary>
    private static async Task<IReadOnlyList<BusinessDocument>> ExtractDocumentsAsync(InspectionRequest request, List<Finding> findings, CancellationToken cancellationToken)
    {
        await using var stream = request.OpenContent();
        var extraction = await Task.Run(() => EdifactDocumentExtractor.Extract(stream), cancellationToken);
        findings.AddRange(extraction.Warnings.Select(w => new Finding(FindingSeverity.Warning, "document", w, "BGM")));
        return extraction.Documents;
    }

    /// <summary>Largest interchange cut for partial acceptance: the cut holds the interchange in memory.</summary>
    public const long MaxPartialAcceptanceBytes = 64L << 20;

    /// <summary>
    /// The interchange without its rejected messages, when only messages (not the envelope or a group) have errors and
    /// at least one message has none; null when the whole interchange is rejected.
    /// </summary>
    private static async Task<PartialAcceptance?> PartiallyAcceptAsync(InspectionRequest request, ValidationResult result, CancellationToken cancellationToken)
    {
        var errors = result.Findings.Where(f => f.IsError).ToList();
        // Finding.MessageIndex points into Messages, which is the file's message order only while every summary was kept.
        if (errors.Any(f => f.MessageIndex < 0) || result.FindingsTruncated || request.Message.Length > MaxPartialAcceptanceBytes
            || result.Messages.Count != result.MessageCount)
        {
            return null;
        }
        var bad = errors.Select(f => f.MessageIndex).ToHashSet();
        if (bad.Count >= result.MessageCount)
        {
            return null;
        }
        await using var stream = request.OpenContent();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        var interchange = EdifactParser.Parse(copy.GetBuffer().AsSpan(0, (int)copy.Length));
        var content = EdifactSplitter.Keep(interchange, index => !bad.Contains(index));
        var rejectedReferences = bad.Order().Select(i => result.Messages[i].Reference).ToList();
        return new PartialAcceptance(content, result.MessageCount - bad.Count, rejectedReferences);
    }

    private static ValidationResult WithoutFindings(ValidationResult result)
    {
        result.Findings.Clear();
        return result;
    }

    private static async Task<Correlation?> CorrelateAsync(InspectionRequest request, CancellationToken cancellationToken)
    {
        await using var stream = request.OpenContent();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        var report = ContrlReader.Read(copy.ToArray());
        return report is null ? null : new Correlation(report.OriginalSender, report.OriginalReference, report.Accepted, report.Summary);
    }

    public static ValidationLevel ParseLevel(string name) => name.ToLowerInvariant() switch
    {
        "syntax" or "none" => ValidationLevel.Syntax,
        "envelope" => ValidationLevel.Envelope,
        "directory" => ValidationLevel.Directory,
        _ => ValidationLevel.Codes,
    };

    private static Finding ToFinding(EdifactFinding f) =>
        new(f.Severity switch { EdifactSeverity.Info => FindingSeverity.Info, EdifactSeverity.Warning => FindingSeverity.Warning, _ => FindingSeverity.Error }, f.CodeNumber.ToString(CultureInfo.InvariantCulture), f.Message, f.Location);

    /// <summary>A deterministic an..14 reference for the CONTRL, so a reprocessed message yields the same one.</summary>
    private static string ContrlReference(string messageId) => ControlReferences.For('C', messageId, 12, basis: 0);

    private static string Safe(string? value)
    {
        var sb = new StringBuilder();
        foreach (var c in value ?? "")
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        return sb.Length == 0 ? "unknown" : sb.ToString();
    }
}

/// <summary>Finds schemas/edifact: the schemas folder in <see cref="HubPaths"/>' one lookup order, then edifact/ in it.</summary>
public static class SchemasLocator
{
    public static string EdifactRoot(string schemasPath) => Path.Combine(HubPaths.ResolveShipped(schemasPath), "edifact");

    /// <summary>The code list files of other agencies: the codelists folder beside the EDIFACT directories.</summary>
    public static string CodeListsRoot(string edifactRoot) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(edifactRoot).TrimEnd(Path.DirectorySeparatorChar)) ?? edifactRoot, "codelists");
}
