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

    private static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliDispatcher.RunAsync([.. args, $"--Hub:Processing:MappingsPath={Path.Combine(Root, "mappings")}"], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Map_test_passes_the_shipped_fixtures()
    {
        var (code, output, _) = await Run("map", "test");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("3 passed, 0 failed."));
    }

    [Test]
    public async Task Mappings_lists_the_shipped_mapping_as_loaded()
    {
        var (code, output, _) = await Run("mappings");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Match("sps-to-ephyto-envelope +1.0 .*loaded"));
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
