using Followup.Workflows.Configuration;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Followup.Activities.Data;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

/// <summary>Systems told about visit status changes (a DMS). Secrets come from configuration or the environment, never the repository.</summary>
public sealed class WebhookOptions : ICheckedOptions
{
    public const string SectionName = "Webhooks";

    public List<WebhookEndpoint> Endpoints { get; set; } = [];

    public IEnumerable<string> Problems()
    {
        for (var i = 0; i < Endpoints.Count; i++)
        {
            if (!CheckedOptions.IsHttpUrl(Endpoints[i].Url))
                yield return $"{nameof(Endpoints)}:{i}:{nameof(WebhookEndpoint.Url)}: an http or https address.";
            if (Endpoints[i].Secret is not { Length: >= 16 })
                yield return $"{nameof(Endpoints)}:{i}:{nameof(WebhookEndpoint.Secret)}: at least 16 characters (the receiver checks the signature with it).";
        }
    }
}
