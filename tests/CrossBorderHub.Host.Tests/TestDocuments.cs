using System.Text;

namespace CrossBorderHub.Host.Tests;

/// <summary>Small documents for end-to-end tests; every one distinct by its reference.</summary>
public static class TestDocuments
{
    public static byte[] Cusdec(string reference, string recipient = "THSW", string sender = "CNSW") => Encoding.ASCII.GetBytes(
        $"UNA:+.? 'UNB+UNOC:3+{sender}:ZZ+{recipient}:ZZ+261123:1200+{reference}'" +
        $"UNH+1+CUSDEC:D:96B:UN'BGM+929+{reference}?+A+9'NAD+EX+++SHENZHEN EXPORT CO'UNT+4+1'UNZ+1+{reference}'\r\n");

    public static byte[] CertificateOfOrigin(string number, string importingCountry = "TH") => Encoding.UTF8.GetBytes(
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <CertificateOfOrigin xmlns="urn:crossborderhub:test">
          <ReferenceNumber>{number}</ReferenceNumber>
          <ExportingCountry>CN</ExportingCountry>
          <ImportingCountry>{importingCountry}</ImportingCountry>
        </CertificateOfOrigin>
        """);
}
