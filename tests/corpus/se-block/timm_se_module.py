"""timm's SEModule: 1x1 convs with biases, x.mean((2, 3), keepdim=True), a gate layer."""

from torch import nn


class SEBlock(nn.Module):
    def __init__(self, channels, reduction=16, act_layer=nn.ReLU):
        super().__init__()
        rd_channels = max(1, channels // reduction)
        self.fc1 = nn.Conv2d(channels, rd_channels, kernel_size=1, bias=True)
        self.bn = nn.Identity()
        self.act = act_layer(inplace=True)
        self.fc2 = nn.Conv2d(rd_channels, channels, kernel_size=1, bias=True)
        self.gate = nn.Sigmoid()

    def forward(self, x):
        x_se = x.mean((2, 3), keepdim=True)
        x_se = self.fc1(x_se)
        x_se = self.act(self.bn(x_se))
        x_se = self.fc2(x_se)
        return x * self.gate(x_se)
