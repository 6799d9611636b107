using System.Diagnostics;
using CrossBorderHub.Edifact.Contrl;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>Hostile and damaged input: always findings, never an exception or a hang.</summary>
public class BadInputTests
{
    private static ValidationResult Validate(byte[] data) => Samples.Validate(data);

    [Test]
    public void Empty_input_is_a_missing_unb()
    {
        var result = Validate([]);
        Assert.That(result.Findings.Single().Code, Is.EqualTo(SyntaxError.Missing));
        Assert.That(result.Findings.Single().Tag, Is.EqualTo("UNB"));
    }

    [Test]
    public void Binary_data_gives_findings_and_is_bounded()
    {
        var data = new byte[1 << 20];
        new Random(7).NextBytes(data);
        var watch = Stopwatch.StartNew();
        var result = Validate(data);
        Assert.That(result.Findings, Is.Not.Empty);
        Assert.That(result.Findings.Count, Is.LessThanOrEqualTo(10_000));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public void A_one_megabyte_segment_is_read_and_reported_too_long()
    {
        var big = new string('A', 1 << 20);
        var data = Encoding.ASCII.GetBytes($"UNB+UNOC:3+S+R+240101:1200+R1'UNH+1+CUSDEC:D:96B:UN'BGM+929+1+9'FTX+AAI+++{big}'UNS+D'UNS+S'UNT+6+1'UNZ+1+R1'");
        var result = Validate(data);
        var tooLong = result.Findings.Single(f => f.Code == SyntaxError.DataElementTooLong);
        Assert.That((tooLong.SegmentNumber, tooLong.Tag, tooLong.Position), Is.EqualTo((4, "FTX", "4:1")));
    }

    [Test]
    public void A_file_without_any_segment_terminator_is_reported_not_hung()
    {
        var data = Encoding.ASCII.GetBytes("UNB+UNOC:3+S+R+240101:1200+R1+" + new string('x', 3 << 20));
        var result = new EdifactValidator(Samples.Directories) { MaxFindings = 100 }.Validate(data);
        Assert.That(result.Findings.Any(f => f.Code == SyntaxError.Missing && f.Tag == "UNB"), Is.True, string.Join("\n", result.Findings));
    }

    [Test]
    public void Every_prefix_of_a_sample_gives_a_result_and_at_least_one_finding()
    {
        var data = Samples.Read("cusdec-d96b-una-syntax3.edi");
        for (var length = 0; length < data.Length - 2; length++)
        {
            var result = Validate(data[..length]);
            Assert.That(result.Findings, Is.Not.Empty, $"prefix {length}");
        }
    }

    [Test]
    public void Builder_escapes_separators_and_counts_segments_so_the_result_is_valid()
    {
        var body = new List<Model.Segment>
        {
            new("BGM", new("929"), new("A+B:C'D?E"), new("9")),
            new("UNS", new Model.Element("D")),
            new("UNS", new Model.Element("S")),
        };
        var bytes = new InterchangeBuilder("UNOC", 3, "SENDER", "RECIPIENT", "REF1", new DateTimeOffset(2024, 5, 6, 7, 8, 0, TimeSpan.Zero)) { IsTest = true }
            .AddMessage("M1", "CUSDEC", "D", "96B", "UN", body).ToBytes();
        var text = Encoding.Latin1.GetString(bytes);
        Assert.That(text, Does.Contain("BGM+929+A?+B?:C?'D??E+9'"));
        Assert.That(text, Does.Contain("UNT+5+M1'"));
        Assert.That(text, Does.EndWith("UNZ+1+REF1'"));
        var result = Validate(bytes);
        Assert.That(result.Findings.Select(f => f.ToString()), Is.Empty);
        Assert.That(EdifactParser.Parse(bytes).AllMessages.Single().Body[0].Get(2), Is.EqualTo("A+B:C'D?E"));
    }

    [Test]
    public void Splitter_makes_one_valid_interchange_per_message()
    {
        foreach (var name in new[] { "cuscar-d96b-two-messages.edi", "cusres-d96b-groups.edi" })
        {
            var parts = EdifactSplitter.Split(Samples.Read(name));
            Assert.That(parts, Has.Count.EqualTo(2), name);
            foreach (var part in parts)
            {
                Assert.That(Validate(part.Content).Findings.Select(f => f.ToString()), Is.Empty, name + " " + part.MessageReference);
            }
        }
    }

    [Test]
    public void Splitter_gives_each_part_its_own_control_reference_when_asked()
    {
        foreach (var name in new[] { "cuscar-d96b-two-messages.edi", "cusres-d96b-groups.edi" })
        {
            var parts = EdifactSplitter.Split(Samples.Read(name), index => $"PART{index + 1}");
            for (var i = 0; i < parts.Count; i++)
            {
                var interchange = EdifactParser.Parse(parts[i].Content);
                Assert.That(interchange.ControlReference, Is.EqualTo($"PART{i + 1}"), name);
                Assert.That(interchange.Trailer!.Get(2), Is.EqualTo($"PART{i + 1}"), name);
                Assert.That(Validate(parts[i].Content).Findings.Select(f => f.ToString()), Is.Empty, name + " " + parts[i].MessageReference);
            }
        }
    }

    [Test]
    public void Aperak_builder_output_is_valid_at_codes_level()
    {
        var bytes = AperakBuilder.Build("CNCUSTOMS", "BROKER1", "APK1", new DateTimeOffset(2024, 1, 2, 3, 4, 0, TimeSpan.Zero), "REF0001", "1",
            [new ApplicationError("E101", "Declared value is missing: " + new string('x', 100))]);
        Assert.That(Validate(bytes).Findings.Select(f => f.ToString()), Is.Empty, Encoding.Latin1.GetString(bytes));
    }

    [Test]
    public void Fuzz_random_mutations_of_valid_samples_never_throw()
    {
        var random = new Random(20240601);
        var samples = Samples.Valid().Select(Samples.Read).ToArray();
        var watch = Stopwatch.StartNew();
        var runs = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(4))
        {
            var data = (byte[])samples[random.Next(samples.Length)].Clone();
            var mutations = random.Next(1, 6);
            for (var m = 0; m < mutations; m++)
            {
                var at = random.Next(data.Length);
                switch (random.Next(4))
                {
                    case 0:
                        data[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        data[at] = "+:'?*\r"u8[random.Next(6)];
                        break;
                    case 2:
                        data = [.. data[..at], .. data[Math.Min(data.Length, at + random.Next(1, 20))..]];
                        break;
                    default:
                        data = [.. data[..at], .. data[random.Next(data.Length)..]];
                        break;
                }
                if (data.Length == 0)
                {
                    break;
                }
            }
            var result = Validate(data);
            Assert.That(result, Is.Not.Null);
            if (result.HasUnb)
            {
                // Whatever came in, the answer must itself be a valid CONTRL.
                var contrl = ContrlBuilder.Build(result, "F1", DateTimeOffset.UnixEpoch);
                Assert.That(Validate(contrl).Findings.Select(f => f.ToString()), Is.Empty, "CONTRL for: " + Encoding.Latin1.GetString(data));
            }
            Assert.That(EdifactWriter.ToBytes(EdifactParser.Parse(data)), Is.EqualTo(data), "round trip of a mutated file");
            runs++;
        }
        Assert.That(runs, Is.GreaterThan(100));
    }
}
