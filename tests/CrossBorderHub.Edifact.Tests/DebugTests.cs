using NUnit.Framework;

namespace CrossBorderHub.Edifact.Tests;

[Explicit]
public class DebugTests
{
    [Test]
    public void Show()
    {
        var data = Samples.Read("broken/unt-count-wrong.edi");
        var r = Samples.Validate(data);
        TestContext.Out.WriteLine("findings " + r.Findings.Count + " segs " + r.SegmentCount);
        var ic = EdifactParser.Parse(data);
        var back = EdifactWriter.ToBytes(ic);
        TestContext.Out.WriteLine($"len {data.Length} back {back.Length} segs {ic.Segments.Count}");
        TestContext.Out.WriteLine(System.Text.Encoding.Latin1.GetString(back));
        foreach (var s in ic.Segments) TestContext.Out.WriteLine(s.SegmentNumber + " " + s.Tag + " " + s);
        Assert.Pass();
    }
}
