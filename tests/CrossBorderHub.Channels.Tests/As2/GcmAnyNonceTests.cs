using System.Security.Cryptography;
using CrossBorderHub.Channels.As2;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>The hand-written GCM (any nonce length) against .NET's AesGcm and the NIST test vector with a 60-byte IV.</summary>
public sealed class GcmAnyNonceTests
{
    [TestCase(1)]
    [TestCase(70_000)]
    public void Matches_AesGcm_for_a_12_byte_nonce(int length)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = RandomNumberGenerator.GetBytes(length);
        var aad = RandomNumberGenerator.GetBytes(20);
        var cipher = new byte[length];
        var tag = new byte[16];
        using (var gcm = new AesGcm(key, 16))
        {
            gcm.Encrypt(nonce, plain, cipher, tag, aad);
        }

        Assert.That(GcmAnyNonce.Decrypt(key, nonce, cipher, tag, aad), Is.EqualTo(plain));
        cipher[0] ^= 1;
        Assert.That(() => GcmAnyNonce.Decrypt(key, nonce, cipher, tag, aad), Throws.InstanceOf<CryptographicException>());
    }

    [Test]
    public void Nist_test_case_6_with_a_60_byte_iv()
    {
        // "The Galois/Counter Mode of Operation (GCM)", McGrew and Viega, test case 6 (AES-128, 60-byte IV).
        var key = Convert.FromHexString("feffe9928665731c6d6a8f9467308308");
        var iv = Convert.FromHexString("9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b");
        var cipher = Convert.FromHexString("8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5");
        var aad = Convert.FromHexString("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        var tag = Convert.FromHexString("619cc5aefffe0bfa462af43c1699d050");
        var plain = Convert.FromHexString("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");

        Assert.That(GcmAnyNonce.Decrypt(key, iv, cipher, tag, aad), Is.EqualTo(plain));
    }
}
