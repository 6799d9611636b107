using CrossBorderHub.Benchmarks;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>
/// Memory independent of the message count and the findings (issue 12): what a validation keeps must not grow with
/// the messages of a large interchange, at any level, nor once the findings are capped.
/// </summary>
public class ValidatorMemoryTests
{
    private static string Generate(long bytes, int badEvery, out int messages)
    {
        var path = Path.Combine(Path.GetTempPath(), $"xbh-memory-{Guid.NewGuid():N}.edi");
        using var file = File.Create(path);
        CusdecGenerator.Generate(file, bytes, out messages, minDocuments: 6, badEvery);
        return path;
    }

    private static ValidationResult ValidateFile(string path, ValidationLevel level)
    {
        using var stream = File.OpenRead(path);
        return new EdifactValidator(Samples.Directories, level).Validate(stream);
    }

    [Test]
    public void Syntax_level_kept_every_message_summary_of_a_large_interchange()
    {
        // Before: at the syntax level no UNT ends a message, so no summary was ever forgotten (197 MB at 1 GB).
        var path = Generate(4 << 20, badEvery: 0, out var messages);
        try
        {
            var result = ValidateFile(path, ValidationLevel.Syntax);
            Assert.That(messages, Is.GreaterThan(EdifactValidator.MaxMessageSummaries * 3));
            Assert.That(result.MessageCount, Is.EqualTo(messages), "every message is still counted");
            Assert.That(result.Messages, Has.Count.LessThanOrEqualTo(EdifactValidator.MaxMessageSummaries + 1));
            Assert.That(result.Messages[0].Reference, Is.EqualTo("1"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Capped_findings_kept_every_later_message_summary()
    {
        // Every message has a finding: past MaxFindings (10,000) the findings stop, and before the fix every later
        // message's summary was kept anyway (1.1 GB peak RSS on a 1 GB interchange at the codes level).
        var path = Generate(50_000 * 1100L, badEvery: 1, out var messages);
        try
        {
            var validator = new EdifactValidator(Samples.Directories, ValidationLevel.Codes);
            ValidationResult result;
            using (var stream = File.OpenRead(path))
            {
                result = validator.Validate(stream);
            }
            Assert.That(messages, Is.GreaterThanOrEqualTo(45_000));
            Assert.That(result.MessageCount, Is.EqualTo(messages), "the count is still right");
            Assert.That((result.FindingsTruncated, result.Findings.Count), Is.EqualTo((true, validator.MaxFindings)));
            Assert.That(result.Findings.TrueForAll(f => f.Code == SyntaxError.InvalidValue), Is.True,
                string.Join("\n", result.Findings.Take(3)));
            Assert.That(result.Messages, Has.Count.LessThanOrEqualTo(EdifactValidator.MaxMessageSummaries + validator.MaxFindings));
            // Every kept finding still points at its own message's summary (for the CONTRL's UCM).
            Assert.That(result.Findings.TrueForAll(f => f.MessageIndex >= 0 && result.Messages[f.MessageIndex].SegmentNumber < f.SegmentNumber), Is.True);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase(ValidationLevel.Syntax)]
    [TestCase(ValidationLevel.Envelope)]
    [TestCase(ValidationLevel.Codes)]
    public void Retained_memory_does_not_grow_with_the_message_count(ValidationLevel level)
    {
        var small = Generate(10_000 * 1100L, badEvery: 0, out var fewMessages);
        var large = Generate(60_000 * 1100L, badEvery: 0, out var manyMessages);
        try
        {
            ValidateFile(small, level); // directory, code lists and JIT: loaded before measuring
            long Retained(string path, out ValidationResult result)
            {
                var before = GC.GetTotalMemory(forceFullCollection: true);
                result = ValidateFile(path, level);
                var after = GC.GetTotalMemory(forceFullCollection: true);
                GC.KeepAlive(result);
                return after - before;
            }
            var few = Retained(small, out var fewResult);
            var many = Retained(large, out var manyResult);
            Assert.That((fewResult.MessageCount, manyResult.MessageCount), Is.EqualTo((fewMessages, manyMessages)));
            // 50,000 more summaries would be ~10 MB; what is kept beyond the first 1,000 must not depend on the count.
            Assert.That(many - few, Is.LessThan(1 << 20), $"retained {few:N0} bytes for {fewMessages:N0} messages, {many:N0} for {manyMessages:N0}");
        }
        finally
        {
            File.Delete(small);
            File.Delete(large);
        }
    }
}
