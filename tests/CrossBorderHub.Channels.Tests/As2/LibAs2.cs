using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>Runs the libas2 scripts in As2/node (installing libas2 with `npm ci` the first time).</summary>
internal static class LibAs2
{
    private static readonly object Gate = new();

    public static string Folder
    {
        get
        {
            // The scripts are copied next to the test assembly; node_modules is installed there once.
            var folder = Path.Combine(TestContext.CurrentContext.TestDirectory, "As2", "node");
            lock (Gate)
            {
                if (!Directory.Exists(Path.Combine(folder, "node_modules", "libas2")))
                {
                    As2TestEnvironment.RequireTool("npm", "nodejs npm");
                    As2TestEnvironment.Run("npm", "ci --no-audit --no-fund --loglevel=error", workingDirectory: folder, timeoutSeconds: 300);
                }
            }
            return folder;
        }
    }

    public static JsonObject Run(string script, object input, int timeoutSeconds = 60)
    {
        var folder = Folder;
        var output = As2TestEnvironment.Run("node", script, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(input)), folder, timeoutSeconds);
        return JsonNode.Parse(output)!.AsObject();
    }
}
