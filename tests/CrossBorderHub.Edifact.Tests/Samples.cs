using System.Text.Json;
using System.Text.Json.Serialization;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>The sample corpus: valid files with their golden identity, broken files with the defect they carry.</summary>
internal static class Samples
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static DirectoryRegistry Directories { get; } = new(Repo.Schemas);

    public static IEnumerable<string> Valid() =>
        System.IO.Directory.GetFiles(Repo.Samples, "*.edi").Order(StringComparer.Ordinal).Select(Path.GetFileName).OfType<string>();

    public static IEnumerable<string> Broken() =>
        System.IO.Directory.GetFiles(Path.Combine(Repo.Samples, "broken"), "*.edi").Order(StringComparer.Ordinal)
            .Select(f => "broken/" + Path.GetFileName(f));

    /// <summary>Interchanges with one kind of deviation each, valid only under a tolerance profile (ToleranceProfileTests).</summary>
    public static IEnumerable<string> Tolerated() =>
        System.IO.Directory.GetFiles(Path.Combine(Repo.Samples, "tolerated"), "*.edi").Order(StringComparer.Ordinal)
            .Select(f => "tolerated/" + Path.GetFileName(f));

    public static IEnumerable<string> All() => Valid().Concat(Broken()).Concat(Tolerated());

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Repo.Samples, name));

    public static string GoldenPath(string name) => Path.Combine(Repo.Samples, Path.ChangeExtension(name, ".expected.json"));

    public static ValidationResult Validate(byte[] data, ValidationLevel level = ValidationLevel.Codes) =>
        new EdifactValidator(Directories, level).Validate(data);

    public static ValidationResult Validate(byte[] data, EdifactTolerance tolerance, bool fastPath = true) =>
        new EdifactValidator(Directories) { Tolerance = tolerance, UseFastPath = fastPath }.Validate(data);

    public static ValidGolden GoldenOf(ValidationResult r) => new(r.Sender, r.Recipient, r.ControlReference, r.IsTest,
        r.AcknowledgementRequested, r.SyntaxIdentifier, r.SyntaxVersion, r.MessageTypes, r.MessageCount, r.Groups.Count, r.Findings.Count(f => f.IsError));
}

internal sealed record ValidGolden(string? Sender, string? Recipient, string? ControlReference, bool IsTest,
    bool AcknowledgementRequested, string? SyntaxIdentifier, int SyntaxVersion, string DocumentType, int MessageCount,
    int GroupCount, int FindingCount);

internal sealed record BrokenGolden(string Defect, int Code, int Segment, string Tag, string Position);

/// <summary>A finding a tolerated sample must carry: a warning under lenient, the same as an error under strict.</summary>
internal sealed record ExpectedFinding(int Code, int Segment, string Tag, string Position);

internal sealed record ToleratedGolden(string Deviation, string Switch, string Clause, List<ExpectedFinding> Findings);
