using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Mapping;

public sealed class MappingCatalogTests
{
    private const string Manifest = """{ "version": "1.0", "kind": "xslt", "source": {"format": "xml"}, "target": {"format": "xml"}, "file": "m.xsl" }""";

    private const string Identity = """
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
          <xsl:template match="/"><out><xsl:value-of select="/in"/></out></xsl:template>
        </xsl:stylesheet>
        """;

    private string _root = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), $"mappings-{Guid.NewGuid():N}"));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    private string Write(string mapping, string file, string text)
    {
        var path = Path.Combine(_root, mapping, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void A_good_mapping_loads_and_maps()
    {
        Write("ok", "mapping.json", Manifest);
        Write("ok", "m.xsl", Identity);
        var catalog = new MappingCatalog(_root).Load();
        Assert.That(catalog.Errors, Is.Empty);
        var mapping = catalog.Find("ok")!;
        Assert.That(mapping.Descriptor.ContentHash, Has.Length.EqualTo(64));
        using var target = new MemoryStream();
        var outcome = mapping.Map(new MemoryStream(Encoding.UTF8.GetBytes("<in>42</in>")), target, CancellationToken.None);
        Assert.That(outcome.Succeeded, Is.True);
        Assert.That(Encoding.UTF8.GetString(target.ToArray()), Does.Contain("<out>42</out>"));
    }

    [Test]
    public void A_broken_stylesheet_is_an_error_at_its_line_and_column()
    {
        Write("bad", "mapping.json", Manifest);
        var xsl = Write("bad", "m.xsl", """
            <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
              <xsl:template match="/">
                <xsl:value-of select="concat(("/>
              </xsl:template>
            </xsl:stylesheet>
            """);
        var catalog = new MappingCatalog(_root).Load();
        var error = catalog.Errors.Single();
        Assert.That(error.File, Is.EqualTo(xsl));
        Assert.That(error.Line, Is.EqualTo(3));
        Assert.That(error.Column, Is.GreaterThan(0));
        Assert.That(error.Fix, Is.Not.Empty);
        Assert.That(catalog.Find("bad"), Is.Null);
    }

    [Test]
    public void A_script_block_is_refused()
    {
        Write("script", "mapping.json", Manifest);
        Write("script", "m.xsl", """
            <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:msxsl="urn:schemas-microsoft-com:xslt" xmlns:u="urn:u">
              <msxsl:script language="C#" implements-prefix="u">public string X() { return "x"; }</msxsl:script>
              <xsl:template match="/"><out><xsl:value-of select="u:X()"/></out></xsl:template>
            </xsl:stylesheet>
            """);
        Assert.That(new MappingCatalog(_root).Load().Errors, Has.Count.EqualTo(1));
    }

    [Test]
    public void Three_broken_manifests_give_three_errors_at_once()
    {
        Write("a", "mapping.json", "{ \"version\": \"1.0\",\n  \"kind\": \"xslt\" \"file\": \"m.xsl\" }");
        Write("b", "mapping.json", """{ "kind": "xslt", "source": {"format": "xml"}, "target": {"format": "xml"}, "file": "m.xsl" }""");
        Write("c", "mapping.json", """{ "version": "1", "kind": "yaml", "source": {"format": "xml"}, "target": {"format": "xml"}, "file": "m.xsl" }""");
        var errors = new MappingCatalog(_root).Load().Errors;
        Assert.That(errors, Has.Count.EqualTo(3), string.Join("\n", errors));
        Assert.That(errors[0].Line, Is.EqualTo(2), "the JSON error is located");
        Assert.That(errors[0].Column, Is.GreaterThan(1));
        Assert.That(errors[1].Problem, Does.Contain("\"version\""));
        Assert.That(errors[2].Problem, Does.Contain("yaml"));
    }

    [Test]
    public void A_failed_reload_keeps_the_last_good_version()
    {
        Write("ok", "mapping.json", Manifest);
        Write("ok", "m.xsl", Identity);
        var catalog = new MappingCatalog(_root).Load();
        var good = catalog.Find("ok");
        Write("ok", "m.xsl", "<xsl:stylesheet");
        catalog.Load();
        Assert.That(catalog.Find("ok"), Is.SameAs(good));
        Assert.That(catalog.Entries.Single().Errors, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_DTD_in_the_input_is_refused()
    {
        Write("ok", "mapping.json", Manifest);
        Write("ok", "m.xsl", Identity);
        var mapping = new MappingCatalog(_root).Load().Find("ok")!;
        const string xxe = """<?xml version="1.0"?><!DOCTYPE in [<!ENTITY x SYSTEM "file:///etc/passwd">]><in>&x;</in>""";
        using var target = new MemoryStream();
        var outcome = mapping.Map(new MemoryStream(Encoding.UTF8.GetBytes(xxe)), target, CancellationToken.None);
        Assert.That(outcome.Succeeded, Is.False);
        Assert.That(outcome.Findings.Single().Message, Does.Contain("XML-DTD"));
    }

    [Test]
    public void The_shipped_mappings_pass_their_fixtures()
    {
        var catalog = new MappingCatalog(Path.Combine(XmlSamples.RepositoryRoot, "mappings"), MappingCatalog.Compilers(DeclarativeMappingTests.EdifactRoot)).Load();
        Assert.That(catalog.Errors, Is.Empty);
        var entry = catalog.Entries.Single(e => e.Name == "sps-to-ephyto-envelope");
        var results = MappingFixtures.Run(entry.Mapping!, Path.Combine(catalog.Root, entry.Name));
        Assert.That(results, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(results.Where(r => !r.Passed).Select(r => r.Failure ?? MappingFixtures.UnifiedDiff(r.Expected, r.Actual, "expected", "actual")), Is.Empty);
    }
}
