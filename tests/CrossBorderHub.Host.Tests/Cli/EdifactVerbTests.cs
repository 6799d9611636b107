using System.Text.Json;
using CrossBorderHub.Edifact.Contrl;
using CrossBorderHub.Edifact.Directory;
using CrossBorderHub.Edifact.Validation;
using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Tests.Cli;

/// <summary>
/// The EDIFACT verbs as a user calls them: `hub validate` (exit 0 all valid, 1 any invalid, 2 usage or unreadable;
/// one finding per line or JSON; folders), `hub contrl`, `hub to-xml` and `hub to-edi`.
/// </summary>
public sealed class EdifactVerbTests : CliVerbTestBase
{
    private static readonly string Samples = Path.Combine(HubProcess.RepositoryRoot, "samples", "messages", "edifact");

    private static string Valid => Path.Combine(Samples, "cusdec-d96b-una-syntax3.edi");

    private static string Broken => Path.Combine(Samples, "broken", "invalid-code.edi");

    [Test]
    public async Task Validate_a_valid_interchange_exits_0_and_names_its_type()
    {
        var (exit, output, error) = await Run(new ValidateVerb(), Valid);
        Assert.That(exit, Is.EqualTo(0), output + error);
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("valid Edifact CUSDEC"));
    }

    [Test]
    public async Task Validate_a_broken_interchange_exits_1_with_the_finding_on_one_line()
    {
        var (exit, output, _) = await Run(new ValidateVerb(), Broken);
        Assert.That(exit, Is.EqualTo(1));
        // invalid-code.expected.json: code 12 (invalid value) in BGM, segment 4, element 1, component 1.
        var line = output.Split('\n').Single(l => l.Contains("ERROR 12", StringComparison.Ordinal));
        Assert.That(line, Does.StartWith(Broken + ": seg 4 offset "));
        Assert.That(line, Does.Contain(" BGM pos 1:1: ERROR 12: "));
    }

    [Test]
    public async Task Validate_json_reports_every_file_with_its_findings()
    {
        var (exit, output, _) = await Run(new ValidateVerb(), "--json", Valid, Broken);
        Assert.That(exit, Is.EqualTo(1));
        using var json = JsonDocument.Parse(output);
        var reports = json.RootElement.EnumerateArray().ToArray();
        Assert.That(reports, Has.Length.EqualTo(2));
        Assert.That(reports[0].GetProperty("valid").GetBoolean(), Is.True);
        Assert.That(reports[0].GetProperty("documentType").GetString(), Is.EqualTo("CUSDEC"));
        Assert.That(reports[1].GetProperty("valid").GetBoolean(), Is.False);
        Assert.That(reports[1].GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()), Does.Contain("12"));
    }

    [Test]
    public async Task Validate_aFolder_takes_every_file_under_it_and_reports_progress()
    {
        var batch = Path.Combine(Folder, "batch");
        Directory.CreateDirectory(Path.Combine(batch, "late"));
        File.Copy(Valid, Path.Combine(batch, "a.edi"));
        File.Copy(Valid, Path.Combine(batch, "late", "b.edi"));
        File.Copy(Broken, Path.Combine(batch, "c.edi"));

        var (exit, output, error) = await Run(new ValidateVerb(), batch);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("3 file(s) validated, 1 invalid."));
        Assert.That(output, Does.Contain(Path.Combine(batch, "c.edi") + ": seg 4 "));
        Assert.That(output, Does.Not.Contain("a.edi").And.Not.Contain("b.edi"));

        var (emptyExit, _, emptyError) = await Run(new ValidateVerb(), Path.Combine(Folder, "late-empty-folder-that-exists-not"));
        Assert.That(emptyExit, Is.EqualTo(2), "a path that does not exist is unreadable");
        Assert.That(emptyError, Does.Contain("cannot read"));

        Directory.CreateDirectory(Path.Combine(Folder, "empty"));
        var (noFileExit, _, noFileError) = await Run(new ValidateVerb(), Path.Combine(Folder, "empty"));
        Assert.That(noFileExit, Is.EqualTo(2));
        Assert.That(noFileError, Does.Contain("hold no file"));
    }

    [Test]
    public async Task Validate_usage_errors_exit_2()
    {
        Assert.That((await Run(new ValidateVerb())).Exit, Is.EqualTo(2), "no file");
        var level = await Run(new ValidateVerb(), "--level", "everything", Valid);
        Assert.That(level.Exit, Is.EqualTo(2));
        Assert.That(level.Error, Does.Contain("--level must be one of syntax, envelope, directory, codes"));
        Assert.That((await Run(new ValidateVerb(), "--frobnicate", Valid)).Exit, Is.EqualTo(2), "unknown option");
    }

    [Test]
    public async Task Validate_at_the_envelope_level_accepts_what_the_codes_level_rejects()
    {
        // The broken sample's defect is a code: the envelope level does not look at code lists.
        Assert.That((await Run(new ValidateVerb(), "--level", "envelope", Broken)).Exit, Is.EqualTo(0));
        Assert.That((await Run(new ValidateVerb(), "--level", "codes", Broken)).Exit, Is.EqualTo(1));
    }

    [Test]
    public async Task Contrl_prints_a_valid_CONTRL_that_correlates_with_the_interchange()
    {
        var (exit, output, error) = await Run(new ContrlVerb(), Broken);
        Assert.That(exit, Is.EqualTo(1), error);
        var contrl = Encoding.Latin1.GetBytes(output);
        Assert.That(output, Does.Contain("UNH+1+CONTRL"));

        var result = new EdifactValidator(new DirectoryRegistry(Path.Combine(HubProcess.RepositoryRoot, "schemas", "edifact")))
            .Validate(new MemoryStream(contrl));
        Assert.That(result.Findings, Is.Empty, string.Join("\n", result.Findings));

        var original = new EdifactValidator(new DirectoryRegistry(Path.Combine(HubProcess.RepositoryRoot, "schemas", "edifact")))
            .Validate(new MemoryStream(File.ReadAllBytes(Broken)));
        var answer = ContrlReader.Read(contrl);
        Assert.That(answer, Is.Not.Null);
        Assert.That(answer!.Answers(original.Sender, original.ControlReference!), Is.True, "the CONTRL names the interchange it answers");
        Assert.That(answer.Accepted, Is.False);
    }

    [Test]
    public async Task Contrl_answers_like_the_pipeline_lenient_profile_accepts_what_strict_rejects()
    {
        var tolerated = Path.Combine(Samples, "tolerated", "cusdec-unoa-lower-case.edi");
        var strict = await Run(new ContrlVerb(), tolerated);
        var lenient = await Run(new ContrlVerb(), "--profile", "lenient", tolerated);

        Assert.That(strict.Exit, Is.EqualTo(1), strict.Error);
        Assert.That(ContrlReader.Read(Encoding.Latin1.GetBytes(strict.Out))!.Accepted, Is.False);
        Assert.That(lenient.Exit, Is.EqualTo(0), lenient.Error);
        Assert.That(ContrlReader.Read(Encoding.Latin1.GetBytes(lenient.Out))!.Accepted, Is.True);
        Assert.That(lenient.Out, Does.Contain("UNB+UNOA:").And.Contain("XBHUB"), "sent under Identity:EdifactId, as the hub sends it");
        Assert.That((await Run(new ContrlVerb(), "--profile", "loose", tolerated)).Exit, Is.EqualTo(2));
    }

    [Test]
    public async Task Contrl_for_a_partner_with_partial_acceptance_rejects_only_the_bad_message()
    {
        var message = (int n, string bgm) =>
            $"UNH+{n}+CUSDEC:D:96B:UN'BGM+{bgm}+DOC{n}+9'DTM+137:20261123:102'NAD+DT+++Exporter+Street 1+Shenzhen++518000+CN'UNS+D'UNS+S'UNT+7+{n}'";
        var file = Path.Combine(Folder, "three.edi");
        await File.WriteAllTextAsync(file, $"UNA:+.? 'UNB+UNOC:3+CNSW:ZZ+THSW:ZZ+261123:1200+REF3'{message(1, "830")}{message(2, "999")}{message(3, "830")}UNZ+3+REF3'");
        var config = Path.Combine(Folder, "hub.json");
        await File.WriteAllTextAsync(config, """{ "Hub": { "Partners": { "CN": { "Identifiers": [ "CNSW" ], "PartialAcceptance": true } } } }""");

        var (exit, output, error) = await Run(new ContrlVerb(), file, "--config", config, "--partner", "CN");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("2 message(s) accepted, rejected: 2"));
        Assert.That(output, Does.Contain("UCI+REF3+CNSW:ZZ+THSW:ZZ+7'").And.Contain("UCM+2+CUSDEC:D:96B:UN+4'").And.Contain("UCM+1+CUSDEC:D:96B:UN+7'"));
        var unknown = await Run(new ContrlVerb(), file, "--config", config, "--partner", "XX");
        Assert.That((unknown.Exit, unknown.Error), Is.EqualTo((2, "hub contrl: partner 'XX' is not in the configuration: use one of CN (and --config FILE).\n")));
    }

    [Test]
    public async Task Contrl_refuses_a_file_that_is_not_edifact()
    {
        var xml = Path.Combine(Folder, "doc.xml");
        await File.WriteAllTextAsync(xml, "<?xml version=\"1.0\"?><a/>");
        var (exit, output, error) = await Run(new ContrlVerb(), xml);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("not an EDIFACT interchange"));
    }

    [Test]
    public async Task To_xml_then_to_edi_gives_the_bytes_back()
    {
        var xml = Path.Combine(Folder, "interchange.xml");
        var edi = Path.Combine(Folder, "interchange.edi");
        Assert.That((await Run(new ToXmlVerb(), Valid, "-o", xml)).Exit, Is.EqualTo(0));
        Assert.That((await Run(new ToEdiVerb(), xml, "-o", edi)).Exit, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(edi), Is.EqualTo(File.ReadAllBytes(Valid)));
        Assert.That((await Run(new ToXmlVerb(), Path.Combine(Folder, "missing.edi"))).Exit, Is.EqualTo(2));
    }

    [Test]
    public async Task To_xml_refuses_an_xml_file_in_one_line_with_exit_1()
    {
        var xml = Path.Combine(HubProcess.RepositoryRoot, "samples", "messages", "xml", "ephyto-valid.xml");
        var (exit, output, error) = await Run(new ToXmlVerb(), xml);
        Assert.That(exit, Is.EqualTo(1), output + error);
        Assert.That(output, Is.Empty);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.StartWith(xml + ": not an EDIFACT interchange (it is XML)").And.Contain("hub to-edi"));

        var text = Path.Combine(Folder, "notes.txt");
        await File.WriteAllTextAsync(text, "just some notes\n");
        Assert.That((await Run(new ToXmlVerb(), text)).Exit, Is.EqualTo(1));
    }

    [Test]
    public async Task Validate_without_a_schemas_folder_says_so_in_one_line_with_exit_2()
    {
        var missing = Path.Combine(Folder, "no-schemas");
        var (exit, output, error) = await Run(new ValidateVerb(), Valid, $"--Hub:Processing:SchemasPath={missing}");
        Assert.That(exit, Is.EqualTo(2), output + error);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Contain("Hub:Processing:SchemasPath").And.Contain(missing));
    }
}
