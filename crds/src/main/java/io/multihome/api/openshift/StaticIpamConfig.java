package io.multihome.api.openshift;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** {@code StaticIPAMConfig} with its address, route and DNS types. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StaticIpamConfig {
  private List<Address> addresses = new ArrayList<>();
  private List<Route> routes = new ArrayList<>();
  private Dns dns;

  public List<Address> getAddresses() {
    return addresses;
  }

  public void setAddresses(List<Address> addresses) {
    this.addresses = addresses == null ? new ArrayList<>() : addresses;
  }

  public List<Route> getRoutes() {
    return routes;
  }

  public void setRoutes(List<Route> routes) {
    this.routes = routes == null ? new ArrayList<>() : routes;
  }

  public Dns getDns() {
    return dns;
  }

  public void setDns(Dns dns) {
    this.dns = dns;
  }

  /** {@code StaticIPAMAddresses}: an address in CIDR form and an optional gateway. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Address {
    private String address;
    private String gateway;

    public String getAddress() {
      return address;
    }

    public void setAddress(String address) {
      this.address = address;
    }

    public String getGateway() {
      return gateway;
    }

    public void setGateway(String gateway) {
      this.gateway = gateway;
    }
  }

  /** {@code StaticIPAMRoutes}: a destination CIDR and an optional next hop. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Route {
    private String destination;
    private String gateway;

    public String getDestination() {
      return destination;
    }

    public void setDestination(String destination) {
      this.destination = destination;
    }

    public String getGateway() {
      return gateway;
    }

    public void setGateway(String gateway) {
      this.gateway = gateway;
    }
  }

  /** {@code StaticIPAMDNS}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Dns {
    private List<String> nameservers = new ArrayList<>();
    private String domain;
    private List<String> search = new ArrayList<>();

    public List<String> getNameservers() {
      return nameservers;
    }

    public void setNameservers(List<String> nameservers) {
      this.nameservers = nameservers == null ? new ArrayList<>() : nameservers;
    }

    public String getDomain() {
      return domain;
    }

    public void setDomain(String domain) {
      this.domain = domain;
    }

    public List<String> getSearch() {
      return search;
    }

    public void setSearch(List<String> search) {
      this.search = search == null ? new ArrayList<>() : search;
    }
  }
}
