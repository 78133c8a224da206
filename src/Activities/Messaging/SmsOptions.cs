using Followup.Workflows.Configuration;

namespace Followup.Activities.Messaging;

/// <summary>
/// Which provider carries SMS. Twilio (the <c>Twilio</c> section) or the local outbox unless a mainland provider is
/// chosen: <see cref="SmsProviders.Aliyun"/> (Alibaba Cloud SMS) or <see cref="SmsProviders.Tencent"/> (Tencent Cloud
/// SMS), which send approved templates under a registered signature and call back with receipts and replies.
/// </summary>
public sealed class SmsOptions : ICheckedOptions
{
    public const string SectionName = "Sms";

    /// <summary>Empty or Twilio (Twilio when its settings are given, else the local outbox), Aliyun or Tencent.</summary>
    public string? Provider { get; set; }

    /// <summary>The signature registered with the provider, without 【】 (the provider adds it). Empty: the store's name.</summary>
    public string? SignName { get; set; }

    /// <summary>
    /// A long random secret that is part of the callback addresses given to the provider (…?token=…): neither mainland
    /// provider signs its callbacks, so a callback without it is refused.
    /// </summary>
    public string? CallbackToken { get; set; }

    public AliyunSmsOptions Aliyun { get; set; } = new();

    public TencentSmsOptions Tencent { get; set; } = new();

    public bool UsesTemplates => Provider is SmsProviders.Aliyun or SmsProviders.Tencent;

    /// <summary>The signature a mainland provider puts before every text.</summary>
    public string Signature(Service.StoreOptions store) => string.IsNullOrWhiteSpace(SignName) ? store.Name : SignName.Trim();

    /// <summary>
    /// An SMS as the customer will read it: through a mainland provider, its registered Chinese template filled in
    /// under the registered signature; otherwise the text signed with the store's name, a marketing text with the
    /// opt-out line (<see cref="Service.StoreOptions.SmsText"/>).
    /// </summary>
    public MessagePayload AsSent(Service.StoreOptions store, MessagePayload payload, bool marketing)
    {
        if (UsesTemplates && SmsTemplates.Find(payload.Template) is { } template)
            return payload with { Language = "zh-CN", Text = $"【{Signature(store)}】{template.Render(payload.Parameters)}", Transactional = !marketing };
        return payload with { Text = store.SmsText(payload.Language, payload.Text, marketing), Transactional = !marketing };
    }

    /// <summary>The template id of a kind with the chosen provider, or null.</summary>
    public string? TemplateId(string? kind) => kind is null ? null : Provider switch
    {
        SmsProviders.Aliyun => Aliyun.Templates.GetValueOrDefault(kind),
        SmsProviders.Tencent => Tencent.Templates.GetValueOrDefault(kind),
        _ => null,
    };

    public IEnumerable<string> Problems()
    {
        if (Provider is not (null or "" or SmsProviders.Twilio or SmsProviders.Aliyun or SmsProviders.Tencent))
        {
            yield return $"{nameof(Provider)}: Twilio, Aliyun or Tencent (or empty), not '{Provider}'.";
            yield break;
        }
        if (!UsesTemplates)
            yield break;
        if (string.IsNullOrWhiteSpace(CallbackToken) || CallbackToken.Length < 24)
            yield return $"{nameof(CallbackToken)}: a random secret of at least 24 characters, part of the callback addresses given to {Provider}.";
        var (missing, templates) = Provider == SmsProviders.Aliyun
            ? (Aliyun.Missing(), Aliyun.Templates)
            : (Tencent.Missing(), Tencent.Templates);
        foreach (var name in missing)
            yield return $"{Provider}:{name}: needed to send through {Provider}.";
        if (SmsTemplates.Kinds.Where(k => string.IsNullOrWhiteSpace(templates.GetValueOrDefault(k))).ToList() is { Count: > 0 } unmapped)
            yield return $"{Provider}:Templates: the approved template id of every message kind; missing {string.Join(", ", unmapped)} (docs/sms-templates.md has the texts to register).";
        if (templates.Keys.Except(SmsTemplates.Kinds).ToList() is { Count: > 0 } unknown)
            yield return $"{Provider}:Templates: no message kind is called {string.Join(", ", unknown)}.";
    }
}

public static class SmsProviders
{
    public const string Twilio = "Twilio";
    public const string Aliyun = "Aliyun";
    public const string Tencent = "Tencent";
}

public sealed class AliyunSmsOptions
{
    public string? AccessKeyId { get; set; }
    public string? AccessKeySecret { get; set; }

    /// <summary>The SMS API's address; a local fake in tests.</summary>
    public string Endpoint { get; set; } = "https://dysmsapi.aliyuncs.com";

    /// <summary>Message kind → approved template code (SMS_…).</summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.Ordinal);

    internal IEnumerable<string> Missing()
    {
        if (string.IsNullOrWhiteSpace(AccessKeyId))
            yield return nameof(AccessKeyId);
        if (string.IsNullOrWhiteSpace(AccessKeySecret))
            yield return nameof(AccessKeySecret);
        if (!CheckedOptions.IsHttpUrl(Endpoint))
            yield return nameof(Endpoint) + " (an http or https address)";
    }
}

public sealed class TencentSmsOptions
{
    public string? SecretId { get; set; }
    public string? SecretKey { get; set; }

    /// <summary>The SMS application's SdkAppId (1400…).</summary>
    public string? SdkAppId { get; set; }

    public string Region { get; set; } = "ap-guangzhou";

    /// <summary>The SMS API's address; a local fake in tests.</summary>
    public string Endpoint { get; set; } = "https://sms.tencentcloudapi.com";

    /// <summary>Message kind → approved template id.</summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.Ordinal);

    internal IEnumerable<string> Missing()
    {
        if (string.IsNullOrWhiteSpace(SecretId))
            yield return nameof(SecretId);
        if (string.IsNullOrWhiteSpace(SecretKey))
            yield return nameof(SecretKey);
        if (string.IsNullOrWhiteSpace(SdkAppId))
            yield return nameof(SdkAppId);
        if (!CheckedOptions.IsHttpUrl(Endpoint))
            yield return nameof(Endpoint) + " (an http or https address)";
    }
}
