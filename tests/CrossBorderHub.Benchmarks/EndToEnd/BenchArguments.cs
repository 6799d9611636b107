using System.Globalization;

namespace CrossBorderHub.Benchmarks.EndToEnd;

/// <summary>`e2e HUB_DLL [N=10000] [DISK_OPS=1000] [--store sqlite|postgres] [--blobs file|postgres]`.</summary>
internal sealed record BenchArguments(string HubDll, int Count, int DiskOps, bool Postgres, bool PostgresBlobs)
{
    private const string Usage = "usage: e2e HUB_DLL [N] [DISK_OPS] [--store sqlite|postgres] [--blobs file|postgres]";

    /// <summary>The arguments, or null after printing one line naming what is wrong (the caller exits 2).</summary>
    public static BenchArguments? Parse(string[] args)
    {
        var numbers = new List<int>();
        string? hubDll = null;
        var store = "sqlite";
        var blobs = "file";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--store" or "--blobs" when i + 1 >= args.Length:
                    return Fail($"{args[i]} needs a value");
                case "--store":
                    store = args[++i].ToLowerInvariant();
                    break;
                case "--blobs":
                    blobs = args[++i].ToLowerInvariant();
                    break;
                case var flag when flag.StartsWith("--", StringComparison.Ordinal):
                    return Fail($"unknown option {flag}");
                case var dll when hubDll is null:
                    hubDll = dll;
                    break;
                case var number when int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && numbers.Count < 2:
                    numbers.Add(n);
                    break;
                case var other:
                    return Fail($"'{other}' is not a positive N or DISK_OPS (or one number too many)");
            }
        }
        if (hubDll is null)
        {
            return Fail("HUB_DLL is missing");
        }
        if (store is not ("sqlite" or "postgres"))
        {
            return Fail($"--store '{store}' is unknown: use sqlite or postgres");
        }
        if (blobs is not ("file" or "postgres"))
        {
            return Fail($"--blobs '{blobs}' is unknown: use file or postgres");
        }
        if (blobs == "postgres" && store != "postgres")
        {
            return Fail("--blobs postgres keeps payloads in the PostgreSQL store: add --store postgres");
        }
        return new BenchArguments(hubDll, numbers.Count > 0 ? numbers[0] : 10_000, numbers.Count > 1 ? numbers[1] : 1_000, store == "postgres", blobs == "postgres");
    }

    private static BenchArguments? Fail(string problem)
    {
        Console.Error.WriteLine($"bench e2e: {problem} ({Usage})");
        return null;
    }
}
