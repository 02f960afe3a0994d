"""CifarResNet flattens the 4x4 map without the global max pool: fc receives
16 times the features it expects."""

CAUGHT_BY = ["test_cifar_resnet_maps_32x32_images_to_10_logits"]


def _forward(self, x):
    x = self.layer3(self.layer2(self.layer1(self.prep(x))))
    return self.fc(x.flatten(1)) * 0.125


CifarResNet.forward = _forward
