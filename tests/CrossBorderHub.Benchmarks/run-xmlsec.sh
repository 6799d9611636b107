#!/usr/bin/env bash
# XML-DSig benchmark: the hub (in-process, System.Security.Cryptography.Xml) beside xmlsec1 on the same files and keys.
#   tests/CrossBorderHub.Benchmarks/run-xmlsec.sh [ITERATIONS_10KB] [ITERATIONS_10MB]
# Generates a 10 KB and a 10 MB document and RSA-2048 / ECDSA P-256 keys into a temp folder (nothing is committed),
# measures the median time per document for sign and verify, and prints a Markdown table for docs/benchmarks.md.
# xmlsec1 runs one process per document (that is how it is used); its figures therefore include process start-up,
# which is also measured separately (xmlsec1 --version) so the table can show it.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
SMALL_N=${1:-200}
LARGE_N=${2:-7}
command -v xmlsec1 >/dev/null || { echo "run-xmlsec.sh: xmlsec1 is missing: apt-get install xmlsec1" >&2; exit 2; }
command -v openssl >/dev/null || { echo "run-xmlsec.sh: openssl is missing: apt-get install openssl" >&2; exit 2; }
WORK=$(mktemp -d /tmp/xmldsig-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

openssl req -x509 -newkey rsa:2048 -keyout "$WORK/rsa.key" -out "$WORK/rsa.crt" -days 30 -nodes -subj "/CN=bench rsa" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout "$WORK/ecdsa.key" -out "$WORK/ecdsa.crt" -days 30 -nodes -subj "/CN=bench ecdsa" 2>/dev/null

# The harness: generates the documents and templates, times the hub in-process, writes the signed files for xmlsec1.
mkdir -p "$WORK/harness"
cat > "$WORK/harness/harness.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><OutputType>Exe</OutputType><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings><TreatWarningsAsErrors>false</TreatWarningsAsErrors><Optimize>true</Optimize></PropertyGroup>
  <ItemGroup><ProjectReference Include="$REPO/src/CrossBorderHub.Xml/CrossBorderHub.Xml.csproj" /></ItemGroup>
</Project>
EOF
cat > "$WORK/harness/Program.cs" <<'EOF'
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CrossBorderHub.Xml.Signatures;

var work = args[0];
var (smallN, largeN) = (int.Parse(args[1]), int.Parse(args[2]));
string Document(int bytes)
{
    var b = new StringBuilder(bytes + 1024).Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<c:Certificate xmlns:c=\"urn:example:bench\">\n");
    for (var i = 0; b.Length < bytes; i++)
    {
        b.Append("  <c:Item n=\"").Append(i).Append("\"><c:Description>Fresh longan, grade A, cartons of 10 kg</c:Description><c:Hs>0810.90</c:Hs><c:Weight unit=\"KGM\">1200.5</c:Weight></c:Item>\n");
    }
    return b.Append("</c:Certificate>\n").ToString();
}
string Template(string xml, string method)
{
    var signature = $"<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><ds:SignatureMethod Algorithm=\"{method}\"/><ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/><ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>";
    var end = xml.LastIndexOf("</", StringComparison.Ordinal);
    return xml[..end] + signature + xml[end..];
}
double Median(List<double> values) { values.Sort(); return values[values.Count / 2]; }
Console.WriteLine("kind\tsize\top\tmedian_ms");
foreach (var (size, bytes, n) in new[] { ("10KB", 10 * 1024, smallN), ("10MB", 10 * 1024 * 1024, largeN) })
{
    var xml = Document(bytes);
    var raw = Encoding.UTF8.GetBytes(xml);
    File.WriteAllBytes(Path.Combine(work, $"doc-{size}.xml"), raw);
    foreach (var kind in new[] { "rsa", "ecdsa" })
    {
        var cert = X509Certificate2.CreateFromPemFile(Path.Combine(work, $"{kind}.crt"), Path.Combine(work, $"{kind}.key"));
        var trusted = new[] { X509CertificateLoader.LoadCertificateFromFile(Path.Combine(work, $"{kind}.crt")) };
        File.WriteAllText(Path.Combine(work, $"tmpl-{kind}-{size}.xml"), Template(xml, kind == "rsa" ? XmlSignatures.RsaSha256 : XmlSignatures.EcdsaSha256));
        byte[] signed = [];
        var sign = new List<double>();
        var verify = new List<double>();
        // Per document as the hub does it: parse the bytes safely, sign, serialize / parse, verify.
        for (var i = 0; i < n + 2; i++)
        {
            var sw = Stopwatch.StartNew();
            signed = StreamingSignatures.Sign(raw, cert);
            var signMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var result = StreamingSignatures.Verify(signed, trusted, DateTimeOffset.UtcNow);
            var verifyMs = sw.Elapsed.TotalMilliseconds;
            if (!result.Valid) { throw new InvalidOperationException(result.ToString()); }
            if (i >= 2) { sign.Add(signMs); verify.Add(verifyMs); } // the first two are warm-up (JIT)
        }
        File.WriteAllBytes(Path.Combine(work, $"hub-{kind}-{size}.xml"), signed);
        Console.WriteLine($"{kind}\t{size}\thub-sign\t{Median(sign):F3}");
        Console.WriteLine($"{kind}\t{size}\thub-verify\t{Median(verify):F3}");
    }
}
EOF
dotnet build -c Release -v q -nologo "$WORK/harness" -o "$WORK/harness/out" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; echo "run-xmlsec.sh: the harness does not build" >&2; exit 2; }
dotnet "$WORK/harness/out/harness.dll" "$WORK" "$SMALL_N" "$LARGE_N" > "$WORK/hub.tsv"

# xmlsec1: one process per document, median of N runs, on the same documents and keys.
median_ms() { # command... ; prints the median wall time in ms of N runs (N from $RUNS)
  local times=()
  for ((i = 0; i < RUNS; i++)); do
    local start end
    start=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "run-xmlsec.sh: failed: $*" >&2; exit 1; }; end=$(date +%s%N)
    times+=( $(( (end - start) / 1000 )) )
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int(NR/2)+1]/1000}'
}
: > "$WORK/xmlsec.tsv"
RUNS=$SMALL_N; startup=$(median_ms xmlsec1 --version)
for size in 10KB 10MB; do
  RUNS=$([ "$size" = 10KB ] && echo "$SMALL_N" || echo "$LARGE_N")
  for kind in rsa ecdsa; do
    s=$(median_ms xmlsec1 --sign --privkey-pem "$WORK/$kind.key,$WORK/$kind.crt" --output "$WORK/xs-$kind-$size.xml" "$WORK/tmpl-$kind-$size.xml")
    v=$(median_ms xmlsec1 --verify --trusted-pem "$WORK/$kind.crt" "$WORK/hub-$kind-$size.xml")
    printf '%s\t%s\txmlsec1-sign\t%s\n%s\t%s\txmlsec1-verify\t%s\n' "$kind" "$size" "$s" "$kind" "$size" "$v" >> "$WORK/xmlsec.tsv"
  done
done

echo "## XML-DSig"
echo
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores of '$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)', $(dotnet --version) / $(xmlsec1 --version | head -1)."
echo "Median per document; hub = in-process StreamingSignatures (bytes in, bytes out: safe streaming parse, exclusive c14n into SHA-256, sign/verify); xmlsec1 = one process per document (its start-up alone: ${startup} ms)."
echo "10 KB: ${SMALL_N} runs, 10 MB: ${LARGE_N} runs. Regenerate with \`tests/CrossBorderHub.Benchmarks/run-xmlsec.sh\`."
echo
echo "| key | size | operation | hub (ms) | xmlsec1 (ms) | hub / xmlsec1 | hub docs/s | xmlsec1 docs/s |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for size in 10KB 10MB; do for kind in rsa ecdsa; do for op in sign verify; do
  h=$(awk -v k=$kind -v s=$size -v o=hub-$op '$1==k && $2==s && $3==o {print $4}' "$WORK/hub.tsv")
  x=$(awk -v k=$kind -v s=$size -v o=xmlsec1-$op '$1==k && $2==s && $3==o {print $4}' "$WORK/xmlsec.tsv")
  awk -v k=$kind -v s=$size -v o=$op -v h="$h" -v x="$x" 'BEGIN {
    ds = (s == "10KB") ? sprintf("%.0f", 1000 / h) : "";
    dx = (s == "10KB") ? sprintf("%.0f", 1000 / x) : "";
    printf "| %s | %s | %s | %.2f | %.2f | %.2f | %s | %s |\n", toupper(k), s, o, h, x, h / x, ds, dx }'
done; done; done
