using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>A directory is parsed once: the binary cache beside the directories holds exactly what parsing gives.</summary>
public class DirectoryCacheTests
{
    private string _root = "";
    private string _folder = "";

    [SetUp]
    public void CopyDirectory()
    {
        _root = Path.Combine(Path.GetTempPath(), $"edifact-cache-{Guid.NewGuid():N}");
        _folder = Path.Combine(_root, "D96B");
        System.IO.Directory.CreateDirectory(_folder);
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Repo.Schemas, "D96B")))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }
    }

    [TearDown]
    public void Remove() => System.IO.Directory.Delete(_root, recursive: true);

    private string CacheFile => Path.Combine(_root, ".cache", "D96B.bin");

    [Test]
    public void The_second_load_comes_from_the_cache_with_the_same_content()
    {
        var parsed = new EdifactDirectory("D96B", _folder);
        var parsedDump = Dump(parsed);
        Assert.That(parsed.LoadedFromCache, Is.False);
        Assert.That(File.Exists(CacheFile), Is.True);

        var cached = new EdifactDirectory("D96B", _folder);

        Assert.That(Dump(cached), Is.EqualTo(parsedDump));
        Assert.That(cached.LoadedFromCache, Is.True);
        Assert.That(parsed.Segments, Has.Count.GreaterThan(100));
        Assert.That(new DirectoryRegistry(_root).Names, Is.EqualTo(new[] { "D96B" }), "the cache folder is not a directory");
    }

    [Test]
    public void A_changed_source_file_is_parsed_again()
    {
        _ = Dump(new EdifactDirectory("D96B", _folder));
        var uncl = System.IO.Directory.GetFiles(_folder, "UNCL*").First();
        File.SetLastWriteTimeUtc(uncl, DateTime.UtcNow.AddMinutes(1));

        var again = new EdifactDirectory("D96B", _folder);

        Assert.That(again.LoadedFromCache, Is.False);
        Assert.That(new EdifactDirectory("D96B", _folder).LoadedFromCache, Is.True, "rewritten for the new files");
    }

    [Test]
    public void A_damaged_cache_is_ignored_and_rewritten()
    {
        var expected = Dump(new EdifactDirectory("D96B", _folder));
        var bytes = File.ReadAllBytes(CacheFile);
        File.WriteAllBytes(CacheFile, bytes[..(bytes.Length / 2)]);

        var loaded = new EdifactDirectory("D96B", _folder);

        Assert.That(Dump(loaded), Is.EqualTo(expected));
        Assert.That(loaded.LoadedFromCache, Is.False);
        Assert.That(File.ReadAllBytes(CacheFile), Is.EqualTo(bytes));
    }

    [Test]
    public void Any_damage_to_the_cache_is_detected()
    {
        var expected = Dump(new EdifactDirectory("D96B", _folder));
        var bytes = File.ReadAllBytes(CacheFile);
        var random = new Random(3);
        for (var run = 0; run < 50; run++)
        {
            var damaged = (byte[])bytes.Clone();
            for (var i = 0; i < 4; i++)
            {
                damaged[random.Next(damaged.Length)] ^= (byte)random.Next(1, 256);
            }
            File.WriteAllBytes(CacheFile, damaged);
            var loaded = new EdifactDirectory("D96B", _folder);
            Assert.That(loaded.LoadedFromCache, Is.False, $"run {run}");
            Assert.That(Dump(loaded), Is.EqualTo(expected));
        }
    }

    [Test]
    public void HasCurrentCache_says_whether_the_next_load_reads_the_cache()
    {
        Assert.That(new EdifactDirectory("D96B", _folder).HasCurrentCache, Is.False, "nothing parsed yet");
        _ = new EdifactDirectory("D96B", _folder).Segments;
        Assert.That(new EdifactDirectory("D96B", _folder).HasCurrentCache, Is.True);

        File.SetLastWriteTimeUtc(Path.Combine(_folder, "TRSD.96B"), DateTime.UtcNow.AddMinutes(1));
        Assert.That(new EdifactDirectory("D96B", _folder).HasCurrentCache, Is.False, "a source changed");

        var loaded = new EdifactDirectory("D96B", _folder);
        _ = loaded.Segments;
        var bytes = File.ReadAllBytes(CacheFile);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(CacheFile, bytes);
        Assert.That(new EdifactDirectory("D96B", _folder).HasCurrentCache, Is.False, "a damaged cache");
    }

    private static string Dump(EdifactDirectory directory)
    {
        var text = new StringBuilder();
        foreach (var spec in directory.Segments.Values.OrderBy(s => s.Tag, StringComparer.Ordinal))
        {
            text.Append(spec.Tag).Append(' ').Append(spec.Name).Append(' ').Append(spec.MandatoryElements).Append('\n');
            foreach (var e in spec.Elements)
            {
                text.Append("  ").Append(e.Id).Append(' ').Append(e.Name).Append(' ').Append(e.Mandatory).Append(' ').Append(e.Repeat)
                    .Append(' ').Append(e.MandatoryComponents).Append('\n');
                foreach (var v in e.Components ?? [e.Simple!])
                {
                    text.Append("    ").Append(v.Id).Append(' ').Append(v.Name).Append(' ').Append(v.Mandatory).Append(' ')
                        .Append(v.Kind).Append(' ').Append(v.MinLength).Append(' ').Append(v.MaxLength).Append('\n');
                }
            }
        }
        foreach (var (id, codes) in directory.Codes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(id).Append(": ").AppendJoin(',', codes.Order(StringComparer.Ordinal)).Append('\n');
        }
        return text.ToString();
    }
}
