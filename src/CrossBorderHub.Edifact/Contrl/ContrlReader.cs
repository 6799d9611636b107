using CrossBorderHub.Edifact.Model;

namespace CrossBorderHub.Edifact.Contrl;

/// <summary>A message line of a CONTRL (UCM): the message answered and the action taken.</summary>
public sealed record ContrlMessageReport(string MessageReference, string MessageType, string Action, string? ErrorCode);

/// <summary>What an incoming CONTRL says about the interchange it answers (UCI and UCM).</summary>
public sealed record ContrlReport(string OriginalReference, string OriginalSender, string OriginalRecipient, string Action,
    string? ErrorCode, IReadOnlyList<ContrlMessageReport> Messages, int ErrorCount)
{
    /// <summary>Action 7 (acknowledged) or 8 (received) with no rejected message.</summary>
    public bool Accepted => Action is "7" or "8" && Messages.All(m => m.Action != "4");

    /// <summary>True when this CONTRL answers the interchange <paramref name="reference"/> sent by <paramref name="sender"/>.</summary>
    public bool Answers(string? sender, string reference) =>
        OriginalReference == reference && (sender is null || OriginalSender == sender);

    public string Summary => Accepted
        ? $"CONTRL acknowledges interchange {OriginalReference} ({Messages.Count} message(s))"
        : $"CONTRL rejects interchange {OriginalReference} (action {Action}{(ErrorCode is null ? "" : ", error " + ErrorCode)}, {ErrorCount} error(s))";
}

/// <summary>Reads a CONTRL interchange and tells which interchange it answers and whether it was accepted.</summary>
public static class ContrlReader
{
    /// <summary>The report, or null when the interchange holds no CONTRL with a UCI.</summary>
    public static ContrlReport? Read(Interchange interchange)
    {
        var contrl = interchange.AllMessages.FirstOrDefault(m => m.Type == "CONTRL");
        var uci = contrl?.Body.FirstOrDefault(s => s.Tag == "UCI");
        if (contrl is null || uci is null)
        {
            return null;
        }
        var messages = new List<ContrlMessageReport>();
        var errors = uci.Get(5).Length > 0 ? 1 : 0;
        foreach (var segment in contrl.Body)
        {
            switch (segment.Tag)
            {
                case "UCM":
                    messages.Add(new ContrlMessageReport(segment.Get(1), segment.Get(2, 0), segment.Get(3), Empty(segment.Get(4))));
                    errors += segment.Get(4).Length > 0 ? 1 : 0;
                    break;
                case "UCF":
                    errors += segment.Get(5).Length > 0 ? 1 : 0;
                    break;
                case "UCS":
                    errors += segment.Get(2).Length > 0 ? 1 : 0;
                    break;
                case "UCD":
                    errors++;
                    break;
            }
        }
        return new ContrlReport(uci.Get(1), uci.Get(2, 0), uci.Get(3, 0), uci.Get(4), Empty(uci.Get(5)), messages, errors);
    }

    public static ContrlReport? Read(ReadOnlySpan<byte> data) => Read(EdifactParser.Parse(data));

    private static string? Empty(string s) => s.Length == 0 ? null : s;
}
