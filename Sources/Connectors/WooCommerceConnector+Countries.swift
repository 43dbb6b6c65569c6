import CartBridgeCore

/// WooCommerce keeps ISO 3166-1 alpha-2 country codes only; the contract's `Country` also has alpha-3 and a name.
/// The table is the ISO 3166-1 list (as the iso-codes project publishes it), "AA" + "AAA" + name, `;`-separated.
extension WooCommerceConnector {
    static let countries: [String: (code3: String, name: String)] = {
        var table: [String: (code3: String, name: String)] = [:]
        for entry in countryTable.joined().split(separator: ";") {
            let code2 = String(entry.prefix(2))
            table[code2] = (String(entry.dropFirst(2).prefix(3)), String(entry.dropFirst(5)))
        }
        return table
    }()

    private static let countryTable = [
        "ADANDAndorra;AEAREUnited Arab Emirates;AFAFGAfghanistan;AGATGAntigua and Barbuda;AIAIAAnguilla;ALALBAlbania;",
        "AMARMArmenia;AOAGOAngola;AQATAAntarctica;ARARGArgentina;ASASMAmerican Samoa;ATAUTAustria;AUAUSAustralia;",
        "AWABWAruba;AXALAÅland Islands;AZAZEAzerbaijan;BABIHBosnia and Herzegovina;BBBRBBarbados;BDBGDBangladesh;",
        "BEBELBelgium;BFBFABurkina Faso;BGBGRBulgaria;BHBHRBahrain;BIBDIBurundi;BJBENBenin;BLBLMSaint Barthélemy;",
        "BMBMUBermuda;BNBRNBrunei Darussalam;BOBOLBolivia;BQBESBonaire, Sint Eustatius and Saba;BRBRABrazil;",
        "BSBHSBahamas;BTBTNBhutan;BVBVTBouvet Island;BWBWABotswana;BYBLRBelarus;BZBLZBelize;CACANCanada;",
        "CCCCKCocos (Keeling) Islands;CDCODCongo, The Democratic Republic of the;CFCAFCentral African Republic;",
        "CGCOGCongo;CHCHESwitzerland;CICIVCôte d'Ivoire;CKCOKCook Islands;CLCHLChile;CMCMRCameroon;CNCHNChina;",
        "COCOLColombia;CRCRICosta Rica;CUCUBCuba;CVCPVCabo Verde;CWCUWCuraçao;CXCXRChristmas Island;CYCYPCyprus;",
        "CZCZECzechia;DEDEUGermany;DJDJIDjibouti;DKDNKDenmark;DMDMADominica;DODOMDominican Republic;DZDZAAlgeria;",
        "ECECUEcuador;EEESTEstonia;EGEGYEgypt;EHESHWestern Sahara;ERERIEritrea;ESESPSpain;ETETHEthiopia;FIFINFinland;",
        "FJFJIFiji;FKFLKFalkland Islands (Malvinas);FMFSMMicronesia, Federated States of;FOFROFaroe Islands;",
        "FRFRAFrance;GAGABGabon;GBGBRUnited Kingdom;GDGRDGrenada;GEGEOGeorgia;GFGUFFrench Guiana;GGGGYGuernsey;",
        "GHGHAGhana;GIGIBGibraltar;GLGRLGreenland;GMGMBGambia;GNGINGuinea;GPGLPGuadeloupe;GQGNQEquatorial Guinea;",
        "GRGRCGreece;GSSGSSouth Georgia and the South Sandwich Islands;GTGTMGuatemala;GUGUMGuam;GWGNBGuinea-Bissau;",
        "GYGUYGuyana;HKHKGHong Kong;HMHMDHeard Island and McDonald Islands;HNHNDHonduras;HRHRVCroatia;HTHTIHaiti;",
        "HUHUNHungary;IDIDNIndonesia;IEIRLIreland;ILISRIsrael;IMIMNIsle of Man;ININDIndia;",
        "IOIOTBritish Indian Ocean Territory;IQIRQIraq;IRIRNIran;ISISLIceland;ITITAItaly;JEJEYJersey;JMJAMJamaica;",
        "JOJORJordan;JPJPNJapan;KEKENKenya;KGKGZKyrgyzstan;KHKHMCambodia;KIKIRKiribati;KMCOMComoros;",
        "KNKNASaint Kitts and Nevis;KPPRKNorth Korea;KRKORSouth Korea;KWKWTKuwait;KYCYMCayman Islands;KZKAZKazakhstan;",
        "LALAOLaos;LBLBNLebanon;LCLCASaint Lucia;LILIELiechtenstein;LKLKASri Lanka;LRLBRLiberia;LSLSOLesotho;",
        "LTLTULithuania;LULUXLuxembourg;LVLVALatvia;LYLBYLibya;MAMARMorocco;MCMCOMonaco;MDMDAMoldova;MEMNEMontenegro;",
        "MFMAFSaint Martin (French part);MGMDGMadagascar;MHMHLMarshall Islands;MKMKDNorth Macedonia;MLMLIMali;",
        "MMMMRMyanmar;MNMNGMongolia;MOMACMacao;MPMNPNorthern Mariana Islands;MQMTQMartinique;MRMRTMauritania;",
        "MSMSRMontserrat;MTMLTMalta;MUMUSMauritius;MVMDVMaldives;MWMWIMalawi;MXMEXMexico;MYMYSMalaysia;MZMOZMozambique;",
        "NANAMNamibia;NCNCLNew Caledonia;NENERNiger;NFNFKNorfolk Island;NGNGANigeria;NINICNicaragua;NLNLDNetherlands;",
        "NONORNorway;NPNPLNepal;NRNRUNauru;NUNIUNiue;NZNZLNew Zealand;OMOMNOman;PAPANPanama;PEPERPeru;",
        "PFPYFFrench Polynesia;PGPNGPapua New Guinea;PHPHLPhilippines;PKPAKPakistan;PLPOLPoland;",
        "PMSPMSaint Pierre and Miquelon;PNPCNPitcairn;PRPRIPuerto Rico;PSPSEPalestine, State of;PTPRTPortugal;",
        "PWPLWPalau;PYPRYParaguay;QAQATQatar;REREURéunion;ROROURomania;RSSRBSerbia;RURUSRussian Federation;RWRWARwanda;",
        "SASAUSaudi Arabia;SBSLBSolomon Islands;SCSYCSeychelles;SDSDNSudan;SESWESweden;SGSGPSingapore;",
        "SHSHNSaint Helena, Ascension and Tristan da Cunha;SISVNSlovenia;SJSJMSvalbard and Jan Mayen;SKSVKSlovakia;",
        "SLSLESierra Leone;SMSMRSan Marino;SNSENSenegal;SOSOMSomalia;SRSURSuriname;SSSSDSouth Sudan;",
        "STSTPSao Tome and Principe;SVSLVEl Salvador;SXSXMSint Maarten (Dutch part);SYSYRSyria;SZSWZEswatini;",
        "TCTCATurks and Caicos Islands;TDTCDChad;TFATFFrench Southern Territories;TGTGOTogo;THTHAThailand;",
        "TJTJKTajikistan;TKTKLTokelau;TLTLSTimor-Leste;TMTKMTurkmenistan;TNTUNTunisia;TOTONTonga;TRTURTürkiye;",
        "TTTTOTrinidad and Tobago;TVTUVTuvalu;TWTWNTaiwan;TZTZATanzania;UAUKRUkraine;UGUGAUganda;",
        "UMUMIUnited States Minor Outlying Islands;USUSAUnited States;UYURYUruguay;UZUZBUzbekistan;",
        "VAVATHoly See (Vatican City State);VCVCTSaint Vincent and the Grenadines;VEVENVenezuela;",
        "VGVGBVirgin Islands, British;VIVIRVirgin Islands, U.S.;VNVNMVietnam;VUVUTVanuatu;WFWLFWallis and Futuna;",
        "WSWSMSamoa;YEYEMYemen;YTMYTMayotte;ZAZAFSouth Africa;ZMZMBZambia;ZWZWEZimbabwe;",
    ]
}
