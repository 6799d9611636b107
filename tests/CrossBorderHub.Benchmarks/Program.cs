using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using CrossBorderHub.Benchmarks;
using CrossBorderHub.Edifact;
using CrossBorderHub.Edifact.Directory;
using CrossBorderHub.Edifact.Validation;

// Commands used by run-peers.sh (plain timing, one process, median of N runs), else BenchmarkDotNet suites.
switch (args.FirstOrDefault())
{
    case "documents":
        // documents DB_FILE [COUNT]: the issue 16 figures in docs/benchmarks.md.
        return await DocumentStoreBenchmark.RunAsync(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000);
    case "e2e":
        // e2e HUB_DLL [N [DISK_OPS]] [--store sqlite|postgres] [--blobs file|postgres]: `./build.sh bench e2e` (docs/benchmarks.md).
        return await CrossBorderHub.Benchmarks.EndToEnd.EndToEndBench.RunAsync(args[1..]);
    case "sps-generate":
        return MappingBench.GenerateSps(args[1], double.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
    case "map-inprocess":
        return MappingBench.MapInProcess(args[1], args[2], args[3], args[4], int.Parse(args[5], CultureInfo.InvariantCulture));
    case "generate":
        {
            var megabytes = double.Parse(args[1], CultureInfo.InvariantCulture);
            using var file = File.Create(args[2]);
            // generate MB FILE [MIN_DOCUMENTS [BAD_EVERY]]: smaller messages and findings for the memory runs.
            var minDocuments = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
            var badEvery = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
            var n = CusdecGenerator.Generate(file, (long)(megabytes * 1024 * 1024), out var messages, minDocuments, badEvery);
            Console.WriteLine($"wrote {n} bytes, {messages} messages to {args[2]}");
            return 0;
        }
    case "tokenize":
        {
            var data = File.ReadAllBytes(args[1]);
            var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
            var times = new List<double>();
            var cpus = new List<double>();
            long tokens = 0;
            var process = Process.GetCurrentProcess();
            for (var r = 0; r < runs + 1; r++)
            {
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                tokens = TokenizeAll(data);
                watch.Stop();
                process.Refresh();
                if (r > 0)
                {
                    times.Add(watch.Elapsed.TotalSeconds);
                    cpus.Add((process.TotalProcessorTime - cpu0).TotalSeconds);
                }
            }
            times.Sort();
            cpus.Sort();
            var median = times[times.Count / 2];
            var cpuMedian = cpus[cpus.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tokenize {tokens} tokens, median {median * 1000:F1} ms, {data.Length / median / 1e6:F0} MB/s, cpu {data.Length / cpuMedian / 1e6:F0} MB/s"));
            return 0;
        }
    case "validate":
        {
            var repeat = args.Contains("--warm") ? 3 : 1;
            var warmAt = Array.IndexOf(args, "--warm-with");
            if (warmAt > 0)
            {
                // Warm up on another (small) file first: what is left is the cost that grows with the input.
                using var small = File.OpenRead(args[warmAt + 1]);
                new EdifactValidator(new DirectoryRegistry(args.Length > 2 ? args[2] : "schemas/edifact")).Validate(small);
            }
            for (var run = 1; run < repeat; run++)
            {
                using var warm = File.OpenRead(args[1]);
                new EdifactValidator(new DirectoryRegistry(args.Length > 2 ? args[2] : "schemas/edifact"), args.Length > 3 ? Enum.Parse<ValidationLevel>(args[3], ignoreCase: true) : ValidationLevel.Codes).Validate(warm);
            }
            var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            using var stream = File.OpenRead(args[1]);
            var level = args.Length > 3 ? Enum.Parse<ValidationLevel>(args[3], ignoreCase: true) : ValidationLevel.Codes;
            var chunksAt = Array.IndexOf(args, "--chunks");
            int? maxChunks = chunksAt > 0 ? int.Parse(args[chunksAt + 1], CultureInfo.InvariantCulture) : null;
            var result = new EdifactValidator(new DirectoryRegistry(args.Length > 2 ? args[2] : "schemas/edifact"), level) { MaxChunks = maxChunks }.Validate(stream);
            watch.Stop();
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"validate {result.SegmentCount} segments, {result.Findings.Count} findings, {result.Chunks} chunks, gc0 {GC.CollectionCount(0)} alloc {GC.GetTotalAllocatedBytes() / 1000000} MB, {watch.Elapsed.TotalMilliseconds:F0} ms, {stream.Length / watch.Elapsed.TotalSeconds / 1e6:F0} MB/s, cpu {stream.Length / cpu / 1e6:F0} MB/s"));
            foreach (var f in result.Findings.Take(10))
            {
                Console.WriteLine(f);
            }
            return result.IsValid ? 0 : 1;
        }
    case "dirload":
        {
            var watch = Stopwatch.StartNew();
            var directory = new DirectoryRegistry("schemas/edifact").Find("D96B")!;
            var t1 = watch.ElapsedMilliseconds;
            _ = directory.FindSegment(TagKey.Of("BGM"));
            var t2 = watch.ElapsedMilliseconds;
            directory.AttachCodeLists();
            var t3 = watch.ElapsedMilliseconds;
            _ = directory.GetMessage("CUSDEC");
            var t4 = watch.ElapsedMilliseconds;
            Console.WriteLine($"find {t1} ms, segments {t2 - t1} ms, codes {t3 - t2} ms, message {t4 - t3} ms");
            return 0;
        }
    case "segments":
        {
            for (var run = 0; run < 3; run++)
            {
                var process = Process.GetCurrentProcess();
                var cpu0 = process.TotalProcessorTime;
                using var stream = File.OpenRead(args[1]);
                var reader = new EdifactSegmentReader(stream);
                long segments = 0;
                while (reader.Read() is not null)
                {
                    segments++;
                }
                process.Refresh();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"segments {segments}, cpu {stream.Length / (process.TotalProcessorTime - cpu0).TotalSeconds / 1e6:F0} MB/s"));
            }
            return 0;
        }
    default:
        BenchmarkSwitcher.FromAssembly(typeof(CusdecGenerator).Assembly).Run(args);
        return 0;
}

// Every token of the file through EdifactReader.Read(); the value lengths are summed so nothing is optimised away.
static long TokenizeAll(byte[] data)
{
    var reader = new EdifactReader(data);
    long tokens = 0, bytes = 0;
    while (reader.Read())
    {
        tokens++;
        bytes += reader.ValueLength;
    }
    return tokens + (bytes & 1) - (bytes & 1);
}
