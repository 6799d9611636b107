namespace CrossBorderHub.Host.Tests.EndToEnd;

/// <summary>
/// A release archive dropped into schemas/edifact is installed when `hub run` starts; one that cannot be installed
/// stops the start with the reason, rather than the hub rejecting every message of that directory later.
/// </summary>
public sealed class DroppedDirectoryArchiveTests
{
    private static JsonObject WithSchemas(string schemas) => new()
    {
        ["Hub"] = new JsonObject { ["Processing"] = new JsonObject { ["SchemasPath"] = schemas } },
    };

    [Test]
    public async Task Hub_run_installs_a_zip_dropped_into_schemas_edifact()
    {
        var schemas = Directory.CreateTempSubdirectory("hub-schemas-").FullName;
        try
        {
            var edifact = Directory.CreateDirectory(Path.Combine(schemas, "edifact")).FullName;
            ReleaseArchives.Nested(Path.Combine(edifact, "d96b.zip"));
            await using var hub = new HubProcess(WithSchemas(schemas));

            await hub.StartAsync();

            Assert.That(File.Exists(Path.Combine(edifact, "D96B", "CUSDEC_D.96B")), Is.True, hub.Log);
            Assert.That(File.Exists(Path.Combine(edifact, ".cache", "D96B.bin")), Is.True);
            Assert.That(hub.Log, Does.Contain("Installed EDIFACT directory D96B"));
            var listed = await hub.CliAsync("directories");
            Assert.That(listed.Output, Does.Match(@"D96B\s+136\s+yes\s+d96b\.zip"));
            Assert.That(await hub.StopAsync(), Is.EqualTo(0));
        }
        finally
        {
            Directory.Delete(schemas, recursive: true);
        }
    }

    [Test]
    public async Task Hub_run_refuses_to_start_with_a_dropped_zip_it_cannot_install()
    {
        var schemas = Directory.CreateTempSubdirectory("hub-schemas-").FullName;
        try
        {
            var edifact = Directory.CreateDirectory(Path.Combine(schemas, "edifact")).FullName;
            ReleaseArchives.Nested(Path.Combine(edifact, "d96b.zip"), skip: f => f.StartsWith("UNCL", StringComparison.Ordinal));
            await using var hub = new HubProcess(WithSchemas(schemas));

            var result = await hub.CliAsync("run");

            Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
            Assert.That(result.Error, Does.Contain("nothing was started"));
            Assert.That(result.Error, Does.Contain("d96b.zip was not installed: d96b.zip: no code list file"));
            Assert.That(Directory.GetFileSystemEntries(edifact).Select(Path.GetFileName), Is.EqualTo(new[] { "d96b.zip" }));
        }
        finally
        {
            Directory.Delete(schemas, recursive: true);
        }
    }
}
