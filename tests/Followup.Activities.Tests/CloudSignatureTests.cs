using Followup.Activities.Messaging;

namespace Followup.Activities.Tests;

/// <summary>The signing functions against the worked examples the providers publish with their signature documentation.</summary>
public sealed class CloudSignatureTests
{
    [Fact]
    public void Alibaba_clouds_v3_example_gives_the_published_canonical_request_hash_and_signature()
    {
        // help.aliyun.com, "V3 request structure and signature", the fixed parameter values of its example.
        var query = Acs3Signature.CanonicalQuery([new("RegionId", "cn-shanghai"), new("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd")]);
        Assert.Equal("ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai", query);
        var emptyBody = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        var headers = new Dictionary<string, string>
        {
            ["host"] = "ecs.cn-shanghai.aliyuncs.com",
            ["x-acs-action"] = "RunInstances",
            ["x-acs-version"] = "2014-05-26",
            ["x-acs-date"] = "2023-10-26T10:22:32Z",
            ["x-acs-signature-nonce"] = "3156853299f313e23d1673dc12e1703d",
            ["x-acs-content-sha256"] = emptyBody,
        };
        var canonical = Acs3Signature.CanonicalRequest("POST", "/", query, headers, emptyBody);
        Assert.Equal("""
            POST
            /
            ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai
            host:ecs.cn-shanghai.aliyuncs.com
            x-acs-action:RunInstances
            x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-acs-date:2023-10-26T10:22:32Z
            x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d
            x-acs-version:2014-05-26

            host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """.ReplaceLineEndings("\n"), canonical);
        Assert.Equal("7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259", Hex.Sha256(canonical));
        Assert.Equal("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0", Acs3Signature.Signature("YourAccessKeySecret", canonical));
        Assert.Equal("ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
            + "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
            Acs3Signature.Authorization("YourAccessKeyId", "YourAccessKeySecret", "POST", "/", query, headers, emptyBody));
    }

    [Fact]
    public void Alibaba_query_values_are_encoded_by_rfc_3986()
    {
        Assert.Equal("SignName=%E5%8D%8E%E8%AF%9A4S%E5%BA%97&TemplateParam=%7B%22a%22%3A%22b%20c%2A~%22%7D",
            Acs3Signature.CanonicalQuery([new("TemplateParam", "{\"a\":\"b c*~\"}"), new("SignName", "华诚4S店")]));
    }

    [Fact]
    public void Tencent_clouds_v3_example_gives_the_published_hashes_string_to_sign_and_authorization()
    {
        // tencentcloud.com, "Signature v3", the DescribeInstances example (timestamp 1551113065, the example keys).
        const string payload = """{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}""";
        Assert.Equal("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064", Hex.Sha256(payload));
        var canonical = Tc3Signature.CanonicalRequest("application/json; charset=utf-8", "cvm.tencentcloudapi.com", payload);
        Assert.Equal("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031", Hex.Sha256(canonical));
        Assert.Equal("TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
            Tc3Signature.StringToSign(1551113065, "cvm", canonical));
        Assert.Equal("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, "
            + "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
            Tc3Signature.Authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", 1551113065, "cvm", canonical));
    }
}
