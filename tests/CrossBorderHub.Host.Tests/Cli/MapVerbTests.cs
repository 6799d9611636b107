using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Tests.Cli;

public sealed class MapVerbTests
{
    private static string Root
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (!Directory.Exists(Path.Combine(folder!.FullName, "mappings")))
            {
                folder = folder.Parent;
            }
            return folder.FullName;
        }
    }

    private static Task<(int Code, string Out, string Error)> Run(params string[] args) => RunIn(Path.Combine(Root, "mappings"), args);

    private static async Task<(int Code, string Out, string Error)> RunIn(string mappings, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliDispatcher.RunAsync([.. args, $"--Hub:Processing:MappingsPath={mappings}", $"--Hub:Processing:SchemasPath={Path.Combine(Root, "schemas")}"], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Map_test_passes_the_shipped_fixtures()
    {
        var (code, output, _) = await Run("map", "test");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("12 passed, 0 failed."));
    }

    [Test]
    public async Task Mappings_lists_the_shipped_mappings_as_loaded()
    {
        var (code, output, _) = await Run("mappings");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Match("sps-to-ephyto-envelope +1.0 .*loaded"));
        Assert.That(output, Does.Match("cusdec-d96b-to-wco-dec +1.0 +edifact:D96B/CUSDEC -> xml:wco-dec +loaded"));
        Assert.That(output, Does.Match("wco-dec-to-cusdec-d96b +1.0 +xml:wco-dec -> edifact:D96B/CUSDEC +loaded"));
        Assert.That(output, Does.Match("sancrt-d96b-to-ephyto-sps +1.0 +edifact:D96B/SANCRT -> xml:ephyto-sps +loaded"));
        // A side no schema pack describes is "xml", not "xml:" with nothing after it.
        Assert.That(output, Does.Match(@"xml:ephyto-sps -> xml +loaded"));
    }

    /// <summary>
    /// `hub map` promised exit 1 for invalid output but only checked that the mapping ran: an output the target XSD
    /// refuses (a FunctionCode outside the WCO code list) was written and exit 0.
    /// </summary>
    [Test]
    public async Task Map_checks_the_output_against_the_target_and_an_invalid_one_is_exit_1_with_nothing_written()
    {
        var mappings = Directory.CreateTempSubdirectory("map-invalid-out-").FullName;
        var source = Path.Combine(Root, "mappings", "cusdec-d96b-to-wco-dec");
        var copy = Path.Combine(mappings, "cusdec-d96b-to-wco-dec");
        Directory.CreateDirectory(copy);
        File.Copy(Path.Combine(source, "mapping.json"), Path.Combine(copy, "mapping.json"));
        var rules = await File.ReadAllTextAsync(Path.Combine(source, "rules.json"));
        Assert.That(rules, Does.Contain("\"9\": \"9\""));
        await File.WriteAllTextAsync(Path.Combine(copy, "rules.json"), rules.Replace("\"9\": \"9\"", "\"9\": \"99\"", StringComparison.Ordinal));
        var cusdec = Path.Combine(source, "tests", "01-export-two-items.input.edi");
        var output = Path.Combine(mappings, "out.xml");

        var (code, _, error) = await RunIn(mappings, "map", cusdec, "--mapping", "cusdec-d96b-to-wco-dec", "-o", output);
        Assert.That(code, Is.EqualTo(1), error);
        Assert.That(error, Does.Contain("the mapped output is not valid xml wco-dec").And.Contain("99"));
        Assert.That(File.Exists(output), Is.False, "an invalid output is not written");

        (code, _, error) = await RunIn(mappings, "map", cusdec, "--mapping", "cusdec-d96b-to-wco-dec", "-o", output, "--no-validate");
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(await File.ReadAllTextAsync(output), Does.Contain("<d:FunctionCode>99</d:FunctionCode>"));
    }

    [Test]
    public async Task Map_turns_a_CUSDEC_into_WCO_XML_and_a_certificate_without_issuer_is_exit_1_naming_the_path()
    {
        var cusdec = Path.Combine(Root, "mappings", "cusdec-d96b-to-wco-dec", "tests", "01-export-two-items.input.edi");
        var (code, output, _) = await Run("map", cusdec, "--mapping", "cusdec-d96b-to-wco-dec");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("<d:FunctionalReferenceID>A0011261123001</d:FunctionalReferenceID>"));

        var sancrt = Path.Combine(Path.GetTempPath(), $"sancrt-{Guid.NewGuid():N}.edi");
        var text = await File.ReadAllTextAsync(Path.Combine(Root, "mappings", "sancrt-d96b-to-ephyto-sps", "tests", "01-durian-to-china.input.edi"));
        await File.WriteAllTextAsync(sancrt, text.Replace("NAD+MS+", "NAD+OS+", StringComparison.Ordinal));
        try
        {
            (code, _, var error) = await Run("map", sancrt, "--mapping", "sancrt-d96b-to-ephyto-sps");
            Assert.That(code, Is.EqualTo(1));
            Assert.That(error.Trim(), Does.EndWith("sancrt-d96b-to-ephyto-sps: message 1: SG2/NAD[3035=MS]: nothing in the message maps to the required ram:IssuerSPSParty."));
        }
        finally
        {
            File.Delete(sancrt);
        }
    }

    [Test]
    public async Task A_mapping_with_three_errors_is_listed_with_all_three_and_exit_2()
    {
        var root = Directory.CreateTempSubdirectory("mappings-");
        try
        {
            var folder = Directory.CreateDirectory(Path.Combine(root.FullName, "broken"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "mapping.json"), """{ "version": "1", "kind": "declarative", "source": {"format": "edifact", "standard": "D96B/CUSDEC"}, "target": {"format": "xml"}, "file": "rules.json" }""");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "rules.json"), "{ \"output\": { \"element\": \"D\", \"children\": [\n { \"element\": \"A\", \"value\": \"XYZ/1004\" },\n { \"element\": \"B\", \"value\": \"BGM/9999\" },\n { \"element\": \"C\", \"vaule\": \"BGM/1225\" } ] } }");
            var (code, output, _) = await RunIn(root.FullName, "mappings");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(output.Split('\n').Where(l => l.Contains("rules.json:", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("rules.json:", StringComparison.Ordinal) + 11)..].Split(' ')[0]),
                Is.EqualTo(new[] { "2:29:", "3:29:", "4:20:" }), output);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Test]
    public async Task Map_wraps_a_certificate_and_refuses_bad_input()
    {
        var input = Path.Combine(Root, "samples", "messages", "xml", "ephyto-valid.xml");
        var (code, output, _) = await Run("map", input, "--mapping", "sps-to-ephyto-envelope");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("<env:NPPOCertificateNumber>CN-PC-2026-778812</env:NPPOCertificateNumber>"));

        var xxe = Path.Combine(Root, "samples", "messages", "xml", "xxe.xml");
        (code, _, var error) = await Run("map", xxe, "--mapping", "sps-to-ephyto-envelope");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));

        (code, _, _) = await Run("map", input, "--mapping", "no-such-mapping");
        Assert.That(code, Is.EqualTo(2));
        (code, _, _) = await Run("map", input);
        Assert.That(code, Is.EqualTo(2));
    }
}
