package io.multihome.agent.cni.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.Vf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SriovNetConfTest {

  private static SriovNetConf parse(String json) throws CniException {
    return SriovNetConf.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsWhatTheOperatorRendersAndMapsItToVfSettings() throws Exception {
    var conf =
        parse(
            """
            {"cniVersion":"1.0.0","name":"n","type":"sriov","deviceID":"0000:3B:02.1",
             "vlan":100,"vlanQoS":3,"vlanProto":"802.1ad","spoofchk":"off","trust":"on",
             "link_state":"disable","min_tx_rate":10,"max_tx_rate":100,
             "ipam":{"type":"static"}}
            """);
    assertThat(conf.deviceId()).isEqualTo("0000:3b:02.1");
    assertThat(conf.ipamType()).isEqualTo("static");
    Vf vf = SriovPlugin.desired(conf, 5);
    assertThat(vf)
        .isEqualTo(
            Vf.of(5)
                .withVlan(100, 3, SriovNetConf.PROTO_8021AD)
                .withSpoofchk(false)
                .withTrust(true)
                .withLinkState(2)
                .withRate(10, 100));
  }

  @Test
  void defaultsClearTheVlanAndLeaveTheRestAlone() throws Exception {
    Vf vf = SriovPlugin.desired(parse("{\"type\":\"sriov\",\"deviceID\":\"0000:3b:02.0\"}"), 0);
    assertThat(vf).isEqualTo(Vf.of(0).withVlan(0, 0, null));
  }

  @Test
  void runtimeConfigWinsForDeviceAndMacThenArgsThenConfig() throws Exception {
    var conf =
        parse(
            """
            {"type":"sriov","deviceID":"0000:3b:02.0","pciBusID":"0000:3b:02.2",
             "mac":"02:00:00:00:00:03","args":{"cni":{"mac":"02:00:00:00:00:02"}},
             "runtimeConfig":{"deviceID":"0000:3b:02.1","mac":"02:00:00:00:00:01"}}
            """);
    assertThat(conf.deviceId()).isEqualTo("0000:3b:02.1");
    assertThat(conf.mac()).isEqualTo("02:00:00:00:00:01");
    var fromArgs =
        parse(
            """
            {"type":"sriov","pciBusID":"0000:3b:02.2","mac":"02:00:00:00:00:03",
             "args":{"cni":{"mac":"02:00:00:00:00:02"}}}
            """);
    assertThat(fromArgs.deviceId()).isEqualTo("0000:3b:02.2");
    assertThat(fromArgs.mac()).isEqualTo("02:00:00:00:00:02");
    assertThat(SriovPlugin.desired(fromArgs, 1).mac()).isEqualTo(HwAddr.parse("02:00:00:00:00:02"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|sriov config deviceID: missing",
        "{\"deviceID\":\"eth0\"}|sriov config deviceID: \"eth0\" is not a PCI address",
        "{\"deviceID\":7}|sriov config deviceID: must be a string",
        "{\"deviceID\":\"0000:3b:02.0\",\"vlan\":4095}|sriov config vlan: 4095 is outside 0..4094",
        "{\"deviceID\":\"0000:3b:02.0\",\"vlan\":\"10\"}|sriov config vlan: must be an integer",
        "{\"deviceID\":\"0000:3b:02.0\",\"vlanQoS\":2}|sriov config vlanQoS: needs a non-zero vlan",
        "{\"deviceID\":\"0000:3b:02.0\",\"vlan\":5,\"vlanQoS\":8}|sriov config vlanQoS: 8 is outside 0..7",
        "{\"deviceID\":\"0000:3b:02.0\",\"vlanProto\":\"802.1ad\"}|sriov config vlanProto: 802.1ad needs a non-zero vlan",
        "{\"deviceID\":\"0000:3b:02.0\",\"vlan\":5,\"vlanProto\":\"qinq\"}|sriov config vlanProto: \"qinq\" is not 802.1q or 802.1ad",
        "{\"deviceID\":\"0000:3b:02.0\",\"mac\":\"02:00:00:00:00\"}|sriov config mac: \"02:00:00:00:00\" is not a 6-byte MAC",
        "{\"deviceID\":\"0000:3b:02.0\",\"spoofchk\":\"yes\"}|sriov config spoofchk: \"yes\" is not \"on\" or \"off\"",
        "{\"deviceID\":\"0000:3b:02.0\",\"trust\":true}|sriov config trust: must be a string",
        "{\"deviceID\":\"0000:3b:02.0\",\"link_state\":\"up\"}|sriov config link_state: \"up\" is not auto, enable or disable",
        "{\"deviceID\":\"0000:3b:02.0\",\"min_tx_rate\":200,\"max_tx_rate\":100}|sriov config min_tx_rate: 200 is above max_tx_rate 100",
        "{\"deviceID\":\"0000:3b:02.0\",\"max_tx_rate\":-1}|sriov config max_tx_rate: -1 is outside",
        "{\"deviceID\":\"0000:3b:02.0\",\"ipam\":{\"subnet\":\"x\"}}|sriov config ipam.type: missing",
        "[1]|sriov config config: must be a JSON object",
      })
  void everyBadFieldIsNamed(String json, String message) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(CniException.class)
        .hasMessageStartingWith(message)
        .satisfies(
            e -> assertThat(((CniException) e).code()).isEqualTo(CniException.INVALID_CONFIG));
  }

  @Test
  void savedVfRestoresWhatTheDriverReported() {
    Vf reported =
        Vf.of(3)
            .withMac(HwAddr.parse("02:11:22:33:44:55"))
            .withVlan(7, 1, SriovNetConf.PROTO_8021Q)
            .withSpoofchk(true)
            .withTrust(false)
            .withLinkState(0)
            .withRate(0, 0);
    Vf restore = SriovState.SavedVf.of(reported).toVf(3);
    // 802.1q goes the plain IFLA_VF_VLAN way (drivers without VLAN_LIST support understand it)
    assertThat(restore).isEqualTo(new Vf(3, reported.mac(), 7, 1, null, true, false, 0, 0, 0));
    var unreported = new Vf(2, null, null, null, null, null, null, null, null, null);
    assertThat(SriovState.SavedVf.of(unreported).toVf(2)).isEqualTo(Vf.of(2).withVlan(0, 0, null));
  }

  @Test
  void giveBackSendsOnlyTheSettingsThatDiffer() {
    Vf original =
        Vf.of(0)
            .withMac(HwAddr.parse("02:11:22:33:44:55"))
            .withVlan(0, 0, SriovNetConf.PROTO_8021Q)
            .withSpoofchk(true)
            .withTrust(false)
            .withLinkState(0)
            .withRate(0, 0);
    var saved = SriovState.SavedVf.of(original);
    // What the pod's ADD left: VLAN 100 QoS 2, spoofchk off, trust on; link state and rates as
    // they were (igb cannot set them at all, so they must not be sent).
    Vf now =
        original.withVlan(100, 2, SriovNetConf.PROTO_8021Q).withSpoofchk(false).withTrust(true);

    assertThat(saved.changesFrom(0, now))
        .isEqualTo(Vf.of(0).withVlan(0, 0, null).withSpoofchk(true).withTrust(false));
    assertThat(saved.changesFrom(0, original)).isNull();
  }
}
