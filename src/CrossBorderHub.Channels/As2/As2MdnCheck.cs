namespace CrossBorderHub.Channels.As2;

/// <summary>The sender's verdict on an MDN: positive disposition and the MIC it computed equal to ours.</summary>
internal static class As2MdnCheck
{
    public sealed record Verdict(bool Delivered, bool Permanent, string Detail);

    /// <param name="expectedMic">"base64, sha-256" as the hub computed it when sending.</param>
    public static Verdict Judge(As2MdnReport report, string expectedMic)
    {
        if (!report.Processed)
        {
            return new Verdict(false, true, $"partner answered with a negative MDN: {report.Disposition}");
        }
        var expectedValue = expectedMic[..expectedMic.LastIndexOf(',')].Trim();
        if (report.Mic is null)
        {
            return new Verdict(false, false, "the MDN carries no Received-Content-MIC: cannot prove what the partner received");
        }
        if (!string.Equals(report.Mic, expectedValue, StringComparison.Ordinal))
        {
            return new Verdict(false, false, $"MIC mismatch: partner computed {report.Mic} ({report.MicAlgorithm}), the hub sent {expectedMic}");
        }
        return new Verdict(true, false, $"acknowledged by {(report.Signed ? "signed" : "unsigned")} MDN, MIC {report.Mic} ({report.MicAlgorithm}) matches");
    }
}
