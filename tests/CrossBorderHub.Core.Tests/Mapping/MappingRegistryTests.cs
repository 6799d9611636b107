namespace CrossBorderHub.Core.Tests.Mapping;

/// <summary>The running hub's mappings: an edit is picked up by the next lookup; a broken edit keeps the last good version.</summary>
public sealed class MappingRegistryTests
{
    private const string Manifest = """{ "version": "VERSION", "kind": "xslt", "source": {"format": "xml"}, "target": {"format": "xml"}, "file": "m.xsl" }""";

    private const string Stylesheet = """<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><out>OUT</out></xsl:template></xsl:stylesheet>""";

    private string _root = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(Path.Combine(_root = Path.Combine(Path.GetTempPath(), $"registry-{Guid.NewGuid():N}"), "m"));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    private void Write(string version, string output, string? stylesheet = null)
    {
        File.WriteAllText(Path.Combine(_root, "m", "mapping.json"), Manifest.Replace("VERSION", version, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_root, "m", "m.xsl"), stylesheet ?? Stylesheet.Replace("OUT", output, StringComparison.Ordinal));
        // Some file systems keep write times to the second or coarser: make each edit visible to the fingerprint.
        var stamp = DateTime.UtcNow.AddSeconds(_edits++);
        File.SetLastWriteTimeUtc(Path.Combine(_root, "m", "m.xsl"), stamp);
    }

    private int _edits;

    private MappingRegistry Open() =>
        new(new HubOptions { Processing = new ProcessingOptions { MappingsPath = _root } }, NullLogger<MappingRegistry>.Instance);

    [Test]
    public void An_edit_is_in_force_at_the_next_lookup_without_any_reload_call()
    {
        Write("1.0", "first");
        var registry = Open();
        var first = registry.Current("m")!.Descriptor;
        Write("1.1", "second");
        var second = registry.Current("m")!.Descriptor;
        Assert.That((first.Version, second.Version), Is.EqualTo(("1.0", "1.1")));
        Assert.That(second.ContentHash, Is.Not.EqualTo(first.ContentHash));
        Assert.That(registry.Find("m")!.State, Is.EqualTo("loaded"));
        Assert.That(registry.ReloadIfChanged(), Is.False, "nothing changed since");
    }

    [Test]
    public void A_broken_edit_keeps_the_last_good_version_in_force_with_the_error_beside_it()
    {
        Write("1.0", "good");
        var registry = Open();
        Write("1.1", "", stylesheet: "<xsl:stylesheet");
        Assert.That(registry.Current("m")!.Descriptor.Version, Is.EqualTo("1.0"));
        var entry = registry.Find("m")!;
        Assert.That(entry.State, Is.EqualTo("last-good"));
        Assert.That(entry.Errors.Single().File, Does.EndWith("m.xsl"));
        Assert.That(registry.Errors, Has.Count.EqualTo(1), "the start-up check would refuse the broken files");
    }

    [Test]
    public void A_mapping_that_never_loaded_has_nothing_in_force()
    {
        Write("1.0", "", stylesheet: "not xml");
        var registry = Open();
        Assert.That(registry.Current("m"), Is.Null);
        Assert.That(registry.Find("m")!.State, Is.EqualTo("error"));
        Assert.That(registry.Current("absent"), Is.Null);
    }
}
