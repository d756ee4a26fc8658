using Remediators.Local.Runtime;

namespace Remediators.Tests.Local;

public sealed class FunctionProcessTests
{
    [Fact]
    public void ParsePeakResidentBytes_ReadsVmHwmInKilobytes()
    {
        const string status = "Name:\tdotnet\nVmPeak:\t 3260112 kB\nVmHWM:\t   52340 kB\nVmRSS:\t   51008 kB\n";

        Assert.Equal(52340L * 1024, FunctionProcess.ParsePeakResidentBytes(status));
    }

    [Fact]
    public void ParsePeakResidentBytes_WithoutVmHwm_IsNull()
    {
        Assert.Null(FunctionProcess.ParsePeakResidentBytes("Name:\tkthreadd\nState:\tS (sleeping)\n"));
    }
}
