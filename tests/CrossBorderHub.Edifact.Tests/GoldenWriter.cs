using NUnit.Framework;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>Rewrites the golden files of the valid samples from the current engine: run by hand, review the diff.</summary>
[Explicit("writes samples/messages/edifact/*.expected.json")]
public class GoldenWriter
{
    [Test]
    public void WriteValidGoldens()
    {
        foreach (var name in Samples.Valid())
        {
            var result = Samples.Validate(Samples.Read(name));
            File.WriteAllText(Samples.GoldenPath(name), System.Text.Json.JsonSerializer.Serialize(Samples.GoldenOf(result), Samples.Json) + "\n");
            foreach (var f in result.Findings)
            {
                TestContext.Out.WriteLine($"{name}: {f}");
            }
        }
        Assert.That(Samples.Valid().Count(), Is.GreaterThan(10));
    }
}
