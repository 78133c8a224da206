using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Followup.Activities.Data;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

public sealed class WebhookEndpoint
{
    public string Url { get; set; } = "";

    /// <summary>Shared secret of the HMAC-SHA256 signature.</summary>
    public string Secret { get; set; } = "";
}
