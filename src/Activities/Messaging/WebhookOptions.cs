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
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    public List<WebhookEndpoint> Endpoints { get; set; } = [];
}
