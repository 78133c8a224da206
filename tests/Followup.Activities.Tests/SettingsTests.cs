using Followup.Activities.Messaging;
using Followup.Workflows.Configuration;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Tests;

/// <summary>Each wrong setting is named with what is expected; the defaults and a complete provider set-up are right.</summary>
public sealed class SettingsTests
{
    public static TheoryData<string, ICheckedOptions, string> Wrong => new()
    {
        { "public address", new MessagingOptions { PublicBaseUrl = "service.example.com" }, "PublicBaseUrl: the address" },
        { "region", new MessagingOptions { DefaultRegion = "China" }, "DefaultRegion: a two-letter country code such as CN or US, not 'China'" },
        { "time zone", new MessagingOptions { TimeZone = "Beijing" }, "TimeZone: an IANA time zone" },
        { "no retry delays", new MessagingOptions { RetryDelays = [] }, "RetryDelays: one or more" },
        { "a zero retry delay", new MessagingOptions { RetryDelays = [TimeSpan.Zero] }, "RetryDelays: one or more" },
        { "attempts", new MessagingOptions { MaxAttempts = 0 }, "MaxAttempts: between 1 and 100" },
        { "unsubscribe page", new MessagingOptions { UnsubscribeUrl = "mailto:x@y" }, "UnsubscribeUrl: an http or https address" },
        { "Twilio half set", new TwilioOptions { AccountSid = "AC1", AuthToken = "t" }, "From: needed too" },
        { "Twilio SID", new TwilioOptions { AccountSid = "SK1", AuthToken = "t", From = "+15550100001" }, "AccountSid: the account SID" },
        { "Twilio sender", new TwilioOptions { AccountSid = "AC1", AuthToken = "t", From = "Followup" }, "From: the sending number" },
        { "Twilio address", new TwilioOptions { ApiBaseUrlOverride = "localhost:9000" }, "ApiBaseUrlOverride: an http or https address" },
        { "SMTP port", new SmtpOptions { Port = 70000 }, "Port: a port between 1 and 65535" },
        { "SMTP security", new SmtpOptions { Security = "Tls" }, "Security: None, StartTls, SslOnConnect, Auto" },
        { "SMTP user without password", new SmtpOptions { UserName = "u" }, "Password: needed with UserName" },
        { "SMTP password without user", new SmtpOptions { Password = "p" }, "UserName: needed with Password" },
        { "SMTP sender", new SmtpOptions { From = "service" }, "From: the sender" },
        { "webhook address", new WebhookOptions { Endpoints = [new() { Url = "dms/hook", Secret = new string('s', 16) }] }, "Endpoints:0:Url: an http or https address" },
        { "webhook secret", new WebhookOptions { Endpoints = [new() { Url = "https://dms.example/hook", Secret = "short" }] }, "Endpoints:0:Secret: at least 16 characters" },
        { "runaway limit", new EngineOptions { MaxActivityExecutionsPerBurst = 10 }, "MaxActivityExecutionsPerBurst: at least 100" },
        { "flowchart mode", new EngineOptions { FlowchartMode = (FlowchartExecutionMode)9 }, "FlowchartMode:" },
        { "script timeout", new EngineOptions { ScriptTimeout = TimeSpan.Zero }, "ScriptTimeout: a time span above zero" },
        { "script statements", new EngineOptions { ScriptMaxStatements = 0 }, "ScriptMaxStatements: at least 1" },
        { "script recursion", new EngineOptions { ScriptMaxRecursion = 0 }, "ScriptMaxRecursion: at least 1" },
        { "script memory", new EngineOptions { ScriptMemoryLimitBytes = 1000 }, "ScriptMemoryLimitBytes: at least 1048576" },
        { "copies kept, negative", new EngineOptions { RecentInstancesMiB = -1 }, "RecentInstancesMiB: from 0 (keep no copies) to 4096" },
        { "copies kept, beyond a machine", new EngineOptions { RecentInstancesMiB = 5000 }, "RecentInstancesMiB: from 0 (keep no copies) to 4096" },
        { "definitions folder", new EngineOptions { DefinitionsPath = "/nonexistent/workflows" }, "DefinitionsPath: the folder '/nonexistent/workflows' does not exist" },
    };

    [Theory]
    [MemberData(nameof(Wrong))]
    public void A_wrong_setting_is_named_with_what_is_expected(string what, ICheckedOptions options, string expected)
    {
        var problems = options.Problems().ToList();
        Assert.True(problems.Count == 1 && problems[0].StartsWith(expected, StringComparison.Ordinal), $"{what}: {string.Join(" | ", problems)}");
    }

    [Fact]
    public void The_defaults_and_complete_provider_settings_are_right()
    {
        ICheckedOptions[] right =
        [
            new MessagingOptions(), new TwilioOptions(), new SmtpOptions(), new WebhookOptions(), new EngineOptions(),
            new TwilioOptions { AccountSid = "AC1", AuthToken = "t", From = "+15550100001" },
            new TwilioOptions { AccountSid = "AC1", AuthToken = "t", From = "MG0123" },
            new SmtpOptions { Host = "smtp.example.com", UserName = "u", Password = "p", Security = "sslonconnect", From = "Store <s@store.example>" },
            new WebhookOptions { Endpoints = [new() { Url = "https://dms.example/hook", Secret = new string('s', 32) }] },
        ];
        Assert.All(right, o => Assert.Empty(o.Problems()));
    }
}
