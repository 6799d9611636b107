using CrossBorderHub.Edifact.Directory;
using CrossBorderHub.Edifact.Validation;
using NUnit.Framework;

namespace CrossBorderHub.Edifact.Tests;

[Explicit]
public class ScratchTests
{
    [Test]
    public void Dump()
    {
        var reg = new DirectoryRegistry(Repo.Schemas);
        foreach (var f in System.IO.Directory.GetFiles(Repo.Samples, "*.edi"))
        {
            var r = new EdifactValidator(reg).Validate(File.ReadAllBytes(f));
            TestContext.Out.WriteLine(Path.GetFileName(f) + " " + r.Findings.Count);
            foreach (var x in r.Findings) TestContext.Out.WriteLine("  " + x);
        }
        foreach (var d in new[] { "D96B", "D01B", "D18A" })
        {
            var dir = reg.Find(d)!;
            TestContext.Out.WriteLine($"{d}: seg {dir.Segments.Count} codes {dir.Codes.Count} msgs {dir.MessageTypes.Count()} 1001:{dir.Codes["1001"].Count} BGM:{string.Join(",", dir.Segments["BGM"].Elements.Select(e => e.Id + (e.IsComposite ? "[" + e.Components!.Length + "]" : "")))}");
        }
        Assert.Pass();
    }
}
