using System.Text.RegularExpressions;

namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// The hub as docs/operations.md deploys it: published, the folder copied somewhere else, started from a working
/// directory that has nothing to do with the checkout. It must find the schemas/ it carries beside hub.dll; and
/// `hub run` that finds no schemas folder at all says so at start-up instead of rejecting every message later.
/// </summary>
[NonParallelizable]
public sealed partial class PublishedHubTests
{
    [GeneratedRegex("<<'EDI'\n(?<body>.*?)\nEDI\n", RegexOptions.Singleline)]
    private static partial Regex ReadmeSample();

    [Test]
    public async Task A_published_hub_copied_elsewhere_finds_its_schemas_from_an_unrelated_working_directory()
    {
        var root = Directory.CreateTempSubdirectory("hub-published-").FullName;
        try
        {
            var published = Path.Combine(root, "publish");
            // --no-build: publish what this test run was built from, as build.sh publish_hub does from a build.
            var publish = await ProcessRunner.RunAsync("dotnet",
                ["publish", Path.Combine(HubProcess.RepositoryRoot, "src", "CrossBorderHub.Host"), "-c", "Release", "--no-build", "-o", published, "-nologo"],
                TimeSpan.FromMinutes(5), root);
            Assert.That(publish.ExitCode, Is.EqualTo(0), publish.Output + publish.Error);
            Assert.That(Directory.Exists(Path.Combine(published, "schemas", "edifact", "D96B")), Is.True, "the publish output carries schemas/");

            // Deployed: the folder copied elsewhere, the publish output gone.
            var deployed = Path.Combine(root, "opt", "hub");
            CopyTree(published, deployed);
            Directory.Delete(published, recursive: true);
            var elsewhere = Directory.CreateDirectory(Path.Combine(root, "home", "user")).FullName;
            var readme = (await File.ReadAllTextAsync(Path.Combine(HubProcess.RepositoryRoot, "README.md"))).ReplaceLineEndings("\n");
            var sample = Path.Combine(elsewhere, "declaration.edi");
            await File.WriteAllTextAsync(sample, ReadmeSample().Match(readme).Groups["body"].Value + "\n");

            var result = await ProcessRunner.RunAsync("dotnet", [Path.Combine(deployed, "hub.dll"), "validate", "declaration.edi"], TimeSpan.FromSeconds(90), elsewhere);
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Output + result.Error);
            Assert.That(result.Error, Does.Contain("valid Edifact CUSDEC"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public async Task Hub_run_without_a_schemas_folder_says_so_at_start_up_in_one_line()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-schemas-{Guid.NewGuid():N}");
        await using var hub = new HubProcess(new JsonObject { ["Hub"] = new JsonObject { ["Processing"] = new JsonObject { ["SchemasPath"] = missing } } });
        var result = await hub.CliAsync("run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), result.Error);
        Assert.That(lines[0], Does.Contain("Hub:Processing:SchemasPath").And.Contain(missing).And.Contain("set Hub:Processing:SchemasPath"));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var folder in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, folder)));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
