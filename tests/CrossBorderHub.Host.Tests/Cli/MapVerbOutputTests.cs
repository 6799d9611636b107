using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Tests.Cli;

/// <summary>
/// `hub map -o OUT` streams to a temporary file beside OUT (a 100 MB interchange is never held whole) that becomes OUT
/// only when the document mapped completely: a document that fails part-way leaves no OUT and no temporary file.
/// </summary>
public sealed class MapVerbOutputTests
{
    private static readonly string Root = HubProcess.RepositoryRoot;

    private static async Task<(int Code, string Error)> MapAsync(string input, string output)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliDispatcher.RunAsync(["map", input, "--mapping", "cusdec-d96b-to-wco-dec", "-o", output,
            $"--Hub:Processing:MappingsPath={Path.Combine(Root, "mappings")}", $"--Hub:Processing:SchemasPath={Path.Combine(Root, "schemas")}"], stdout, stderr);
        return (code, stderr.ToString());
    }

    [Test]
    public async Task A_mapped_document_is_written_to_OUT_and_a_failed_one_leaves_nothing_behind()
    {
        var folder = Directory.CreateTempSubdirectory("map-out-").FullName;
        try
        {
            var input = Path.Combine(Root, "mappings", "cusdec-d96b-to-wco-dec", "tests", "01-export-two-items.input.edi");
            var expected = Path.Combine(Root, "mappings", "cusdec-d96b-to-wco-dec", "tests", "01-export-two-items.expected.xml");
            var output = Path.Combine(folder, "dec.xml");
            var (code, error) = await MapAsync(input, output);
            Assert.That(code, Is.EqualTo(0), error);
            Assert.That(System.Xml.Linq.XDocument.Load(output).ToString(), Is.EqualTo(System.Xml.Linq.XDocument.Load(expected).ToString()));

            // No reference (BGM 1004 is required): exit 1, the earlier OUT is not replaced by half a document.
            var broken = Path.Combine(folder, "broken.edi");
            await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(input)).Replace("BGM+830+A0011261123001+9'", "BGM+830++9'", StringComparison.Ordinal));
            var failed = Path.Combine(folder, "failed.xml");
            (code, error) = await MapAsync(broken, failed);
            Assert.That(code, Is.EqualTo(1));
            Assert.That(error, Does.Contain("BGM/C106/1004"));
            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "dec.xml", "broken.edi" }), "no failed.xml, no temporary file");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
