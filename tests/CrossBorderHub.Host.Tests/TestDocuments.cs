namespace CrossBorderHub.Host.Tests;

/// <summary>Small documents for end-to-end tests; every one distinct by its reference.</summary>
public static class TestDocuments
{
    /// <summary>A CUSDEC D.96B interchange that is valid at the `codes` level (the default partner profile).</summary>
    public static byte[] Cusdec(string reference, string recipient = "THSW", string sender = "CNSW") => Encoding.ASCII.GetBytes(
        $"UNA:+.? 'UNB+UNOC:3+{sender}:ZZ+{recipient}:ZZ+261123:1200+{reference}'" +
        $"UNH+1+CUSDEC:D:96B:UN'BGM+830+{reference}+9'DTM+137:20261123:102'" +
        "NAD+DT+++Shenzhen Export Co?+ Ltd+Street 1+Shenzhen++518000+CN'UNS+D'UNS+S'UNT+7+1'" +
        $"UNZ+1+{reference}'\r\n");

    public static byte[] CertificateOfOrigin(string number, string importingCountry = "TH") => Encoding.UTF8.GetBytes(
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <CertificateOfOrigin xmlns="urn:crossborderhub:atiga:form-d:1">
          <ReferenceNumber>{number}</ReferenceNumber>
          <IssuingCountry>CN</IssuingCountry>
          <ImportingCountry>{importingCountry}</ImportingCountry>
          <Exporter><Name>Guangxi Fruit Export Co., Ltd.</Name><Address>88 Minzu Avenue, Nanning</Address><CountryCode>CN</CountryCode></Exporter>
          <Consignee><Name>Bangkok Fresh Import Co., Ltd.</Name><Address>1 Rama IV Road, Bangkok</Address><CountryCode>{importingCountry}</CountryCode></Consignee>
          <Transport><DepartureDate>2026-11-20</DepartureDate><Mode>road</Mode><PortOfLoading>Pingxiang</PortOfLoading><PortOfDischarge>Bangkok</PortOfDischarge></Transport>
          <Item>
            <ItemNumber>1</ItemNumber><MarksAndNumbers>GFE 1-1200</MarksAndNumbers><Description>Fresh longan</Description><HsCode>0810.90</HsCode>
            <OriginCriterion>WO</OriginCriterion><GrossWeightOrQuantity unit="KGM">12600</GrossWeightOrQuantity><FobValue currency="USD">18400.00</FobValue>
            <InvoiceNumber>INV-5531</InvoiceNumber><InvoiceDate>2026-11-18</InvoiceDate>
          </Item>
          <ExporterDeclaration><ProducingCountryCode>CN</ProducingCountryCode><Place>Nanning</Place><Date>2026-11-19</Date><SignatoryName>Li Wei</SignatoryName></ExporterDeclaration>
          <Certification><IssuingAuthority>GACC Nanning</IssuingAuthority><Place>Nanning</Place><Date>2026-11-19</Date><ValidUntil>2099-11-18</ValidUntil><SignatoryName>Zhang Min</SignatoryName></Certification>
        </CertificateOfOrigin>
        """);
}
